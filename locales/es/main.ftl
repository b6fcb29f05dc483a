## Diseño
skip-to-content = Ir al contenido principal
nav-label = Principal
nav-campaigns = Campañas
nav-staff = Equipo
nav-account = Tu cuenta
nav-sign-in = Iniciar sesión
nav-sign-up = Crear una cuenta
nav-sign-out = Cerrar sesión
language-label = Idioma
footer-about = Writeathon: cartas que cambian vidas. Escribe a las autoridades sobre personas en peligro y envía tu solidaridad a esas mismas personas.

## Errores
error-bad-request = No se ha podido entender esta solicitud
error-unauthorized = Inicia sesión, por favor
error-forbidden = No tienes permiso para hacer esto
error-not-found = Página no encontrada
error-not-found-help = Puede que la dirección esté mal escrita o que la página se haya eliminado.
error-method-not-allowed = Esta acción no está disponible aquí
error-timeout = Esto ha tardado demasiado
error-conflict = Esto choca con algo que ya se ha hecho
error-too-large = Esto es demasiado grande
error-unsupported-media-type = Aquí no se acepta este tipo de contenido
error-invalid = Algunos valores no son válidos
error-rate-limited = Demasiados intentos
error-internal = Algo ha fallado por nuestra parte
error-internal-help = No es por nada que hayas hecho. Vuelve a intentarlo dentro de un momento.
error-reference = Referencia: { $id }
error-back-home = Volver a la página de inicio
error-csrf = Este formulario ha caducado. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-form-malformed = No se ha podido leer el formulario. Recarga la página e inténtalo de nuevo.
error-json = No se ha podido leer el cuerpo JSON: { $reason }
error-json-content-type = Envía el cuerpo en JSON con Content-Type: application/json.
error-idempotency-key = La cabecera Idempotency-Key debe tener entre 1 y 255 caracteres visibles.
error-idempotency-reused = Esta Idempotency-Key ya se usó con otra solicitud.
error-idempotency-in-progress = Todavía se está procesando una solicitud con esta Idempotency-Key; vuelve a intentarlo en breve.
rate-limited = Demasiados intentos. Espera { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
} y vuelve a intentarlo.

## Campos de formulario
field-required = Este campo es obligatorio.
field-too-short = Usa al menos { $min } caracteres.
field-too-long = Usa como máximo { $max } caracteres.
field-control-chars = Elimina los caracteres de control invisibles.
field-single-line = Escríbelo en una sola línea.
field-slug = Usa entre 2 y 60 letras minúsculas, cifras y guiones, como w4r-2017.
field-slug-hint = Letras minúsculas, cifras y guiones, como w4r-2017. Forma parte de la dirección web y no se puede cambiar después.
field-date = Escribe una fecha con el formato AAAA-MM-DD.
field-country = Elige un país de la lista.
field-choice = Elige una de las opciones.
field-slug-label = Dirección web (slug)
field-country-label = País
field-date-label = Fecha
field-choose = Elige…
field-language = Usa uno de estos códigos de idioma: { $languages }.
field-number-range = Escribe un número entero del { $min } al { $max }.
field-email-invalid = Escribe una dirección de correo como nombre@example.org.
field-display-name = Tu nombre
field-password = Contraseña
field-new-password = Elige una contraseña
field-title = Título
field-intro = Introducción
field-markdown-hint = Puedes usar Markdown: **negrita**, listas, enlaces.
field-starts-on = Eventos desde
field-ends-on = Eventos hasta
field-case-name = Nombre de la persona o del grupo
field-summary = Su historia
field-authority-name = Nombre de la autoridad
field-authority-title = Su cargo
field-authority-address = Dirección postal
field-salutation = Saludo
field-solidarity = Cómo les llegan los mensajes de solidaridad
field-solidarity-hint = Adónde enviar tarjetas y mensajes, y qué escribir.
field-status = Estado
field-note = Qué ha pasado
field-email = Correo electrónico
slug-taken = Esta dirección ya está en uso; elige otra.

## Cuentas
signup-title = Crear una cuenta
signup-intro = Organiza un evento, informa de tus cartas y sigue la campaña. Solo lleva un minuto.
signup-submit = Crear la cuenta
signup-have-account = ¿Ya tienes una cuenta?
signup-sent-title = Revisa tu correo
signup-sent = Hemos enviado un mensaje a { $email }. Sigue su enlace para confirmar tu dirección y después inicia sesión.
signup-sent-hint = Puede tardar un minuto; mira también en la carpeta de correo no deseado. Si esta dirección ya tiene una cuenta, el mensaje te lo dirá.
signin-title = Iniciar sesión
signin-submit = Iniciar sesión
signin-no-account = ¿Es tu primera vez aquí?
signin-failed = Este correo y esta contraseña no corresponden a ninguna cuenta.
signin-forgot = ¿Has olvidado tu contraseña?
signin-by-link = Envíame un enlace para iniciar sesión
link-reset-title = Restablecer tu contraseña
link-reset-intro = Escribe la dirección de tu cuenta: te enviaremos por correo un enlace para elegir una contraseña nueva.
link-sign-in-title = Iniciar sesión por correo
link-sign-in-intro = Escribe la dirección de tu cuenta: te enviaremos por correo un enlace con el que iniciarás sesión sin contraseña.
link-submit = Envíame el enlace
link-sent = Si { $email } pertenece a una cuenta, ya va de camino un enlace.
link-sent-hint = Puede tardar un minuto; mira también en la carpeta de correo no deseado. El enlace funciona una sola vez.
link-back-to-sign-in = Volver a iniciar sesión
link-sign-in-confirm = Pulsa el botón para iniciar sesión en este dispositivo.
link-spent-title = Este enlace ya no funciona
link-spent-text = Ya se ha usado o ha caducado. Los enlaces de nuestros correos funcionan una sola vez y durante un tiempo limitado.
link-ask-again = Pedir un enlace nuevo
link-go-account = Ir a tu cuenta
verified-title = Dirección confirmada
verified-text = Gracias: tu dirección de correo está confirmada.
reset-title = Elige una contraseña nueva
reset-intro = Se cerrarán tus demás sesiones.
reset-submit = Guardar la contraseña nueva
verify-pending = Aún sin confirmar: sigue el enlace del correo que te enviamos.
verify-sent = Te hemos enviado un enlace de confirmación nuevo.
verify-resend = Enviar el enlace de nuevo
unsubscribe-title = Recordatorios
unsubscribe-on = Los recordatorios están activados para esta dirección.
unsubscribe-what = Llegan el día antes de los eventos a los que te has apuntado y, si organizas, después de tu evento hasta que informes. Las confirmaciones y los mensajes sobre tus propios eventos siguen llegando.
unsubscribe-turn-off = Desactivar los recordatorios
unsubscribe-off = Los recordatorios están desactivados para esta dirección: no te enviaremos más.
unsubscribe-turn-on = Volver a activar los recordatorios
password-hint = Al menos 8 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña sólida; tu gestor de contraseñas puede rellenarla.
password-length = Usa entre { $min } y { $max } caracteres.
password-common = Esta contraseña es demasiado común; elige una más difícil de adivinar.
account-title = Tu cuenta
account-role = Función
role-host = Organizador/a
role-staff = Equipo (todos los países)
role-staff-country = Equipo de { $country }
role-admin = Administrador/a
tokens-title = Tokens de API
tokens-intro = Los tokens permiten que tus propias herramientas usen la API de Writeathon en tu nombre. Mantenlos en secreto y revoca los que ya no uses.
tokens-new-once = Aquí tienes tu token nuevo. Cópialo ahora: no se volverá a mostrar.
tokens-none = No tienes tokens de API.
tokens-label = Etiqueta
tokens-starts-with = Empieza por
tokens-created = Creado
tokens-last-used = Último uso
tokens-never = Nunca
tokens-actions = Acciones
tokens-revoke = Revocar
tokens-revoke-named = Revocar el token “{ $label }”
tokens-create = Crear un token

## Campañas
home-title = Escribe por los Derechos
home-intro = Cada diciembre, en torno al Día de los Derechos Humanos, personas de todo el mundo escriben cartas que cambian vidas. Busca una campaña, lee los casos y escribe.
home-no-campaigns = Todavía no hay ninguna campaña.
campaign-global-day = Día mundial: { $date }
campaign-open-now = Eventos abiertos ahora
campaign-days-until = { $count ->
    [one] Falta un día para el día mundial
   *[other] Faltan { $count } días para el día mundial
}
campaign-today = Hoy es el día mundial: ¡escribe ya!
campaign-was-on = El día mundial fue el { $date }.
campaign-find-events = Busca un evento cerca de ti
campaign-host-event = Organiza un evento
campaign-global-day-label = Día mundial
campaign-window-label = Eventos
campaign-window = del { $from }
campaign-window-to = al { $to }
campaign-deadline-label = Fecha límite de los informes
campaign-goal-label = Objetivo
campaign-goal = { $count } cartas
campaign-global-day-in-window = El día mundial debe caer dentro del periodo de eventos.
campaign-window-too-long = El periodo de eventos puede durar como máximo un año.
campaign-deadline-after-window = La fecha límite de los informes no puede ser anterior al final del periodo de eventos.
cases-title = Casos
cases-intro = Cada caso es una persona o un grupo en peligro. Escribe a la autoridad y envía un mensaje de solidaridad.
cases-none = Todavía no hay casos.
case-status-active = Activo
case-status-good-news = Buenas noticias
case-status-closed = Cerrado
case-not-translated = Este caso todavía no está disponible en tu idioma.
case-updates = Novedades
case-write-to = Escribe a
case-salutation = Saludo:
case-sample-letter = Carta modelo
case-sample-letter-hint = Úsala como punto de partida; lo que más cuenta es una carta con tus propias palabras.
case-solidarity = Envía tu solidaridad

## Equipo
staff-title = Equipo
staff-new-campaign = Nueva campaña
staff-edit-campaign = Editar esta campaña
staff-edit = Editar
staff-add-case = Añadir un caso
staff-edit-case = Editar este caso
staff-save = Guardar
staff-editing-in = Textos en { $language }
staff-edit-in = editar en { $language }
staff-add-update = Añadir una novedad
staff-current-status = Estado actual: { $status }

## Eventos
nav-host = Tus eventos
form-has-errors = Hay respuestas que necesitan otro vistazo: mira los mensajes de abajo.
yes = Sí
no = No
field-number = Escribe un número.
kind-home = En casa
kind-school = Centro educativo
kind-university = Universidad o centro de estudios superiores
kind-faith = Iglesia o comunidad de fe
kind-community-centre = Centro comunitario
kind-cafe = Cafetería
kind-pub = Bar o pub
kind-workplace = Lugar de trabajo
kind-library = Biblioteca
kind-outdoor = Al aire libre
kind-online = En línea
kind-other = En otro lugar
event-status-published = Publicado
event-status-cancelled = Cancelado
event-status-unpublished = Retirado
event-new-title = Registrar un evento
event-new-intro = Lleva dos minutos. Puedes cambiarlo todo después.
event-edit-title = Editar el evento
event-register = Registrar el evento
event-field-title = Nombre del evento
event-field-title-hint = Por ejemplo: Cartas y sopa en la parroquia de Santo Tomás
event-field-kind = Dónde se celebra
event-field-visibility = Quién puede venir
event-public = Cualquier persona: se publica para que la gente lo encuentre y se apunte
event-private = Solo las personas que yo invite: nunca aparece en la lista y solo cuenta en los totales
event-field-when = Cuándo
event-field-start = Hora de inicio
event-field-end = Hora de fin
event-field-where = Dónde
event-field-place = Pueblo o ciudad
event-field-place-hint = Empieza a escribir y elige entre las sugerencias.
event-field-venue = Nombre del lugar
event-field-venue-hint = Por ejemplo: salón parroquial de Santo Tomás. No se muestra públicamente en los eventos en casa.
event-field-address = Dirección
event-field-address-hint = Solo la ven tú, el equipo y las personas con plaza confirmada.
event-more = Más detalles (opcional)
event-field-capacity = Cuántas personas pueden venir
event-field-capacity-hint = Déjalo vacío si no hay límite; una vez alcanzado, la gente pasa a una lista de espera.
event-field-accessibility = Accesibilidad
event-field-accessibility-hint = Por ejemplo: entrada sin escalones, aseo accesible, sala tranquila.
event-field-step-free = Acceso sin escalones
event-field-description = Descripción
event-field-language = Idioma del evento
event-field-timezone = Zona horaria
event-field-timezone-hint = Déjalo como está para usar la zona horaria del lugar.
event-timezone-auto = La zona horaria del lugar
event-cancel = Cancelar este evento
event-cancel-hint = Al cancelarlo, el evento sigue en tu lista pero deja de aparecer en el buscador.
event-is-cancelled = Este evento se ha cancelado.
event-is-unpublished = El equipo de la campaña ha retirado este evento.
event-private-badge = Privado
event-attending = Asistentes
event-confirmed-count = { $count ->
    [one] Viene una persona
   *[other] Vienen { $count } personas
}
event-spaces-left = { $count ->
    [0] no quedan plazas
    [one] queda una plaza
   *[other] quedan { $count } plazas
}
event-waitlist-count = { $count } en la lista de espera
event-attendees = Asistentes
event-attendees-csv = Descargar la lista (CSV)
event-attendees-none = Todavía no se ha apuntado nadie.
event-add-to-calendar = Añadir a mi calendario
event-cases = Casos por los que escribimos
event-flag = Denunciar este evento
event-flag-reason = ¿Qué problema tiene?
event-country-scope = Solo puedes trasladar este evento a un país del que te ocupes; quien lo organiza puede trasladarlo a cualquier lugar.
event-flag-submit = Enviar la denuncia
event-flag-thanks = Gracias: el equipo de la campaña revisará tu denuncia.
event-datetime = Escribe una fecha y una hora como 2017-12-10T13:00:00-03:30.
event-time = Escribe una hora como 13:30.
event-time-skipped = Esta hora no existe ese día en esta zona horaria (hay cambio de hora); elige otra.
event-end-after-start = El final debe ser posterior al comienzo.
event-too-long = Un evento puede durar como máximo siete días.
event-outside-window = El evento debe celebrarse durante la campaña, del { $from } al { $to }.
event-region-country = Esta región no está en el país elegido.
event-latitude = La latitud debe estar entre -90 y 90.
event-longitude = La longitud debe estar entre -180 y 180.
event-coordinates-pair = Indica la latitud y la longitud, o ninguna de las dos.
event-timezone = Elige una zona horaria de la lista.
event-language = Usa un código de idioma de dos o tres letras, como es o pt.
rsvp-title = Apúntate para venir
rsvp-full = Este evento está completo: apúntate para entrar en la lista de espera.
rsvp-email-hint = Aquí te enviaremos la dirección del evento y un enlace para cancelar. Quien organiza no la ve, salvo que lo aceptes abajo.
rsvp-consent = Quien organiza puede contactarme sobre este evento
rsvp-consent-short = Contacto permitido
rsvp-submit = Apúntame
rsvp-confirmed-title = ¡Vienes!
rsvp-confirmed = Te has apuntado a { $event }.
rsvp-waitlisted-title = Estás en la lista de espera
rsvp-waitlisted = { $event } está completo por ahora. Si se libera una plaza, será tuya automáticamente.
rsvp-address-by-email = La dirección y los detalles te llegarán por correo.
rsvp-cancel-by-email = En tu correo tienes el enlace para cancelar si cambian tus planes.
rsvp-back = Volver al evento
rsvp-manage-title = Tu inscripción
rsvp-status-of = Inscripción de { $name }:
rsvp-status-confirmed = viene
rsvp-status-waitlisted = en la lista de espera
rsvp-status-cancelled = cancelada
rsvp-cancel = Cancelar mi inscripción
rsvp-cancelled = Tu inscripción está cancelada.
host-title = Tus eventos
host-register-in = Registrar un evento para { $campaign }
host-no-events = Todavía no has registrado ningún evento.
finder-title = Eventos: { $campaign }
finder-host-one = Organiza tú un evento
finder-place = Pueblo o ciudad
finder-use-location = Usar mi ubicación
finder-location-error = No se ha podido encontrar tu ubicación. Escribe una localidad.
finder-location-pending = Buscando tu ubicación…
finder-radius = En un radio de
finder-filters = Filtros
finder-text = Palabras del título o del lugar
finder-any-kind = Cualquier tipo
finder-any-language = Cualquier idioma
finder-from = Desde
finder-to = Hasta
finder-sort = Ordenar por
finder-sort-distance = Distancia
finder-sort-date = Fecha
finder-submit = Buscar eventos
finder-map-failed = No se ha podido cargar el mapa detallado, así que solo muestra las fronteras de los países. Todos los eventos están en la lista.
finder-results = Eventos
finder-results-near = Eventos cerca de { $place }
finder-none = Ningún evento coincide. Prueba con un radio mayor o con menos filtros, ¡o organiza tú uno!
finder-next = Página siguiente
finder-feeds = Sigue los eventos:
finder-place-unknown = No conocemos esta localidad. Revisa cómo está escrita o prueba con una ciudad más grande cercana.
finder-near = Indica el lugar como latitud,longitud, por ejemplo 47.56,-52.71.
finder-radius-range = Elige una distancia de hasta { $max } km.
finder-cursor = El enlace de esta página ha caducado; vuelve a empezar la búsqueda.
moderation-title = Moderación y seguridad
moderation-flags = Eventos denunciados
moderation-no-flags = No hay denuncias abiertas.
moderation-reason = Motivo de la retirada (se muestra a quien organiza)
moderation-unpublish = Retirar el evento
moderation-dismiss = Desestimar la denuncia
moderation-unpublished = Eventos retirados
moderation-republish = Volver a publicarlo
safety-title = Modo de seguridad
safety-intro = En un país en modo de seguridad nunca se muestran los nombres de quienes organizan, y toda ubicación pública se reduce a la localidad; los nombres de los lugares se ocultan. Úsalo donde organizar un evento sea peligroso.
safety-none = Ningún país está en modo de seguridad.
safety-on = Activado
safety-off = Desactivado

## Informes y recuento
report-title = Informa de tus cartas
report-edit-title = Tu informe
report-intro = Para cada caso, ¿cuántas cartas a las autoridades y cuántos mensajes de solidaridad se escribieron? Deja un caso vacío si nadie escribió sobre él.
report-letters = Cartas a la autoridad
report-solidarity = Mensajes de solidaridad
report-participants = Cuántas personas participaron
report-highlights = Una breve historia (opcional)
report-highlights-hint = Un momento de tu evento, para el resumen de la campaña. No nombres a nadie que esté en peligro.
report-submit = Enviar el informe
report-reason = Por qué corriges este informe
report-history = Historial
report-action-created = informó
report-action-edited = modificó
report-action-voided = anuló
report-void = Anular este informe
report-void-reason = Por qué se anula
report-is-voided = El equipo anuló este informe.
report-voided-short = anulado
report-flagged = por revisar
report-list-title = Informes
report-thanks = ¡Gracias! Tus cartas ya están en el recuento.
report-add = Añadir un informe
report-none = Todavía no hay ningún informe.
report-open = Abrir el informe
report-closed = Los informes se pueden enviar desde el comienzo del evento hasta la fecha límite de informes de la campaña.
report-count = Escribe un número entero del 0 al { $max }.
report-case-unknown = No hay ningún caso “{ $case }” en esta campaña.
report-case-twice = El caso “{ $case }” aparece dos veces.
report-too-many-items = Demasiados casos en un solo informe.
report-voided = Este informe se ha anulado y ya no puede cambiar.
event-report-letters = Informa de tus cartas
event-reports = Informes
tally-title = El recuento
tally-letters = cartas a las autoridades
tally-solidarity = mensajes de solidaridad
tally-letters-short = cartas
tally-solidarity-short = solidaridad
tally-participants = participantes
tally-participants-label = Participantes
tally-events-registered = Eventos registrados
tally-events-reported = Eventos que han informado
tally-countries = Países
tally-events = Eventos
tally-sum-note = Suma de todos los informes hasta ahora; llegan más cada día hasta la fecha límite de informes.
tally-by-case = Por caso
tally-by-country = Por país
tally-by-region = Por provincia, estado o región
tally-by-kind = Por tipo de evento
tally-embed-hint = Muestra el contador en directo en tu sitio web:
tally-written-so-far = escritos hasta ahora
tally-see = Ver el recuento
embed-letters = cartas y mensajes escritos
moderation-reports = Informes por revisar
moderation-no-reports = Ningún informe parece inverosímil.
moderation-event = evento
report-flag-many-per-participant = muchas cartas por participante
report-flag-edit-jump = un cambio de diez veces o más
data-title = Tus datos
data-intro = Todo lo que Writeathon guarda sobre ti es tuyo y puedes llevártelo, y tu cuenta es tuya y puedes eliminarla.
data-privacy-link = Qué guardamos y durante cuánto tiempo
data-download = Descargar mis datos
data-delete = Eliminar mi cuenta
delete-title = Eliminar mi cuenta
delete-intro = Esto no se puede deshacer. Al eliminar tu cuenta:
delete-what-account = se borran tu nombre, tu dirección de correo, tu contraseña, tus sesiones, tus tokens de API y los correos que te enviamos, así como las inscripciones que hiciste con tu dirección confirmada;
delete-what-events = se cancelan tus eventos que aún no se han celebrado, y se avisa a las personas que se apuntaron;
delete-what-reports = las cartas de las que informaste siguen contando en el recuento, sin tu nombre, y se borran las direcciones de tus eventos.
delete-confirm-label = Escribe tu dirección de correo para confirmar
delete-confirm-hint = La dirección con la que inicias sesión.
delete-confirm-mismatch = Esta no es la dirección de tu cuenta.
delete-submit = Eliminar mi cuenta definitivamente
deleted-title = Tu cuenta se ha eliminado
deleted-text = Todo lo indicado se ha borrado. Gracias por escribir.
deleted-home = Volver a la página de inicio
token-needs-confirmed-email = Primero confirma tu dirección de correo: solo se da un token de API a una cuenta con la dirección confirmada.
privacy-title = Privacidad
privacy-in-english = Esta página está en inglés.
second-factor-title = Inicio de sesión en dos pasos
second-factor-intro-enrol = El equipo y quienes administran inician sesión con un código de una aplicación de autenticación además de su contraseña. Escanea el código QR con la aplicación, o abre el enlace en el teléfono que la tiene, o escribe la clave a mano; después escribe el código de seis cifras que muestra la aplicación.
second-factor-qr-alt = Código QR que añade Writeathon a una aplicación de autenticación
second-factor-open-link = Abrir en mi aplicación de autenticación
second-factor-key = Clave para escribir a mano:
second-factor-code = Código de seis cifras (o un código de recuperación)
second-factor-code-enrol = Código de seis cifras de la aplicación
second-factor-submit = Confirmar
second-factor-on = El inicio de sesión en dos pasos está activado en tu cuenta.
second-factor-recovery-title = Tus códigos de recuperación
second-factor-recovery-intro = Cada uno de estos códigos te permite iniciar sesión una vez si pierdes el teléfono. Guárdalos en un lugar seguro: solo se muestran ahora.
second-factor-ask-title = Escribe tu código
second-factor-ask-intro = Abre tu aplicación de autenticación y escribe el código de seis cifras de Writeathon.
second-factor-wrong = Este código no es correcto o ya se ha usado. Prueba con el siguiente.
second-factor-too-many = Demasiados códigos probados. Espera un cuarto de hora y vuelve a intentarlo.
second-factor-needed = Tu función en el equipo requiere el inicio de sesión en dos pasos: hasta que lo configures, solo tienes los permisos de organizador/a.
second-factor-set-up = Configurar el inicio de sesión en dos pasos
email-taken = Ya existe una cuenta con este correo. Inicia sesión.

## Staff console: not reported, exports, audit trail
staff-unreported-title = Sin informe todavía
staff-unreported-count = { $count ->
    [one] Un evento terminado no ha enviado informe.
   *[other] { $count } eventos terminados no han enviado informe.
}
staff-unreported-none = Todos los eventos terminados han enviado su informe. ¡Gracias a quienes los organizan!
staff-unreported-place = Lugar
staff-unreported-ended = Terminó
staff-unreported-host = Organizador
staff-unreported-last-reminder = Último recordatorio
staff-unreported-never = nunca
staff-remind-now = Enviar un recordatorio ahora
staff-remind-done-today = Recordado hoy
staff-remind-sent = El recordatorio va camino del organizador.
staff-remind-already = Este organizador ya recibió un recordatorio hoy: basta con uno al día.
staff-remind-off = Este organizador desactivó los recordatorios. Contáctelo de otra forma.
staff-remind-not-due = Este evento ya envió su informe o aún no ha terminado: no hay nada que recordar.
staff-every-country = Todos los países
staff-filter = Mostrar
staff-download-csv = Descargar en CSV
staff-error-country = Ningún país tiene este código.
staff-error-repeated = Indique este filtro una sola vez.
staff-error-unknown-filter = Este filtro no existe.
staff-error-bom = Use 1 para una marca de orden de bytes, 0 para ninguna.
staff-error-number = Use un número entero mayor que cero.
staff-error-too-long = Es demasiado largo.
staff-error-subject = Indique juntos el tipo y el número del objeto.
staff-error-campaign = Ninguna campaña tiene esta dirección.
staff-audit-title = Registro de auditoría
staff-audit-campaign = Campaña (su dirección)
staff-audit-actor = Quién
staff-audit-actor-app = la aplicación
staff-audit-action = Acción
staff-audit-subject = Qué
staff-audit-subject-type = Tipo de objeto
staff-audit-subject-id = Número del objeto
staff-audit-when = Cuándo (UTC)
staff-audit-before = Antes
staff-audit-after = Después
staff-audit-none = No se registró nada con estos filtros.
staff-audit-older = Entradas más antiguas
## Photos
error-unavailable = Inténtelo de nuevo en un momento
photo-error-empty = { $name }: el archivo está vacío.
photo-error-too-large = { $name } es demasiado grande: envíe fotos de { $max } MB como máximo.
photo-error-type = { $name } no es una foto JPEG, PNG o WebP.
photo-error-heic = { $name } es una foto HEIC, que no podemos leer. Envíela en JPEG: en un iPhone, elija Ajustes → Cámara → Formatos → Más compatible, o elija la foto en Safari, que envía JPEG.
photo-error-svg = { $name } es un dibujo (SVG), no una foto: un archivo SVG puede llevar scripts, así que no los aceptamos.
photo-error-animated = { $name } está animada: envíe una foto fija.
photo-error-gif = { $name } es un GIF: envíe una foto JPEG, PNG o WebP.
photo-error-pixels = { $name } tiene demasiados píxeles: { $max } megapíxeles como máximo.
photo-error-small = { $name } es demasiado pequeña para ser una foto.
photo-error-corrupt = No se pudo leer { $name }: el archivo está dañado o incompleto.
photo-error-multipart = No se pudo leer el envío. Elija de nuevo las fotos y envíelas.
photo-error-too-many = Envíe como máximo { $max } fotos a la vez.
photo-error-no-file = Elija al menos una foto.
photo-error-one-file = Envíe una foto por solicitud.
photo-error-markup = Escriba texto simple, sin < ni >.
photo-error-consent = Confirme que las personas fotografiadas aceptaron ser mostradas.
photo-error-event-quota = Este evento ya tiene el máximo de fotos ({ $max }); se pueden añadir { $left } más.
photo-error-account-quota = Ha enviado el máximo de fotos para esta campaña ({ $max }); se pueden añadir { $left } más.
photo-error-store = Ahora no se pueden guardar ni leer fotos. No se guardó nada: inténtelo de nuevo en unos minutos.
photo-error-state = Ya se decidió sobre esta foto.
photos-heading = Fotos
photos-add = Añadir fotos
photos-event-title = Fotos de { $event }
report-photos-heading = Fotos de su evento
report-photos-intro = Comparta el día: elija fotos de su teléfono o computadora. El personal revisa cada una antes de mostrarla.
report-photos-sent = Ver las fotos enviadas
photos-added = { $count ->
    [one] Se envió una foto. El equipo la revisará antes de mostrarla.
   *[other] Se enviaron { $count } fotos. El equipo las revisará antes de mostrarlas.
}
photos-files = Fotos
photos-files-hint = JPEG, PNG o WebP, de { $max } MB como máximo cada una. Puede elegir varias.
photos-caption = Pie de foto
photos-caption-hint = 300 caracteres como máximo. Se lee a quienes no pueden ver la imagen.
photos-consent = Las personas fotografiadas aceptaron ser mostradas.
photos-minors = Aparecen niños o jóvenes menores de 18 años
photos-minors-hint = El equipo puede usar estas fotos en informes de la organización, pero nunca se muestran al público.
photos-minors-short = aparecen menores
photos-send = Enviar fotos
photos-sent = Fotos enviadas
photos-none-yet = Todavía no hay fotos.
photos-reason = Motivo:
photos-alt = Texto leído en lugar de la imagen
photos-alt-save = Guardar el texto
photo-status-pending = Esperando al equipo
photo-status-approved = Mostrada
photo-status-rejected = No mostrada
photo-status-removed = Retirada
gallery-title = Fotos: { $campaign }
gallery-country = País
gallery-region = Código de región
gallery-kind = Tipo de evento
gallery-any = Cualquiera
gallery-filter = Mostrar
gallery-empty = Todavía no hay fotos que mostrar.
gallery-more = Más fotos
photo-queue-title = Fotos por revisar
photo-queue-pending = En espera
photo-queue-empty = No hay fotos en espera.
photo-queue-approve-ticked = Aprobar las fotos marcadas
photo-queue-tick = Marcar
photo-queue-approve = Aprobar
photo-queue-reason = Motivo (el anfitrión lo lee)
photo-queue-reject = Rechazar
photo-queue-approved = Mostradas
photo-queue-take-down = Retirar
## Kits para eventos (PDF para imprimir)
kit-author = Writeathon
kit-language = Idioma: { $language }
kit-language-unknown = otro idioma
kit-fallback-note = Este caso aún no está escrito en { $asked }: se imprime aquí en { $shown }.
kit-title-campaign = { $campaign }: kit para imprimir
kit-title-letter = Carta para { $name }
kit-title-sheet = Ficha del caso: { $name }
kit-title-event = { $title }: kit del evento
kit-photo = Foto
kit-write-to = Escribe a
kit-ask = La carta modelo de este kit dice qué pedir. Escribe con tus propias palabras si puedes: una carta personal cuenta más.
kit-your-address = Tu nombre y dirección
kit-signature = Tu firma y tu nombre
kit-letter-subject = Asunto: { $name }
kit-salutation-default = Estimado señor o señora:
kit-address-to-follow = Dirección pendiente: consulta la página del caso antes de enviar esta carta.
kit-postage = Carta internacional a { $country }: pregunta el franqueo en tu oficina de correos.
kit-card-front = En solidaridad con
kit-card-line = No estás solo ni sola.
kit-card-idea = Qué escribir
kit-card-idea-default = Escribe unas palabras cálidas de esperanza y apoyo. Sé breve, y no hables del caso ni de las autoridades implicadas.
kit-fold = doblar
kit-signin-title = Hoja de asistencia
kit-privacy = El correo electrónico es opcional: déjalo solo si quieres recibir noticias de este evento por parte de quien lo organiza. Esta hoja se queda con quien organiza; no se publica ni se comparte.
kit-col-name = Nombre
kit-col-email = Correo (opcional)
kit-col-letters = Cartas escritas
kit-qr-report = Organizadores: informad de las cartas escritas
kit-qr-event = La página del evento: detalles e inscripción
kit-poster-invite = Ven a escribir cartas que cambian vidas. Todo el mundo es bienvenido.
kit-place-private = La dirección se envía a las personas inscritas.
kit-lang-unknown = Este idioma no está disponible para los kits. Elige uno de: { $languages }.
kit-paper-unknown = Elige el tamaño de papel a4 o letter.
kit-poster-unknown = Elige poster=a3 para un cartel A3, o no pongas nada.
kit-download-letter = Carta para imprimir (PDF)
kit-download-sheet = Ficha del caso para imprimir (PDF)
kit-download-campaign = Kit para imprimir: ficha, carta y tarjeta de cada caso (PDF)
kit-download-event = Kit del evento (PDF)
kit-download-event-a3 = Kit del evento con un cartel A3 (PDF)
kit-download-event-help = Ficha, carta y tarjeta de cada caso, una hoja de asistencia y un cartel con códigos QR a la página de tu evento y al formulario de informe.
staff-dashboard-title = Panel
staff-dashboard-events = Eventos inscritos
staff-dashboard-reported-events = Eventos con informe
staff-dashboard-reports = Informes recibidos
staff-dashboard-letters = Cartas
staff-dashboard-solidarity = Mensajes de solidaridad
staff-dashboard-participants = Participantes
staff-dashboard-rsvps = Inscripciones
staff-dashboard-to-do = Pendiente
staff-dashboard-unreported = { $count ->
    [one] Un evento terminado sin informe
   *[other] { $count } eventos terminados sin informe
}
staff-dashboard-open-flags = { $count ->
    [one] Un evento señalado por visitantes
   *[other] { $count } eventos señalados por visitantes
}
staff-dashboard-flagged-reports = { $count ->
    [one] Un informe que parece improbable
   *[other] { $count } informes que parecen improbables
}
staff-dashboard-failed-mail = { $count ->
    [one] Un mensaje que no se pudo entregar
   *[other] { $count } mensajes que no se pudieron entregar
}
staff-dashboard-events-chart = Eventos inscritos, día a día
staff-dashboard-letters-chart = Cartas informadas, día a día
staff-dashboard-chart-most = El día con más: { $count }.
staff-dashboard-nothing-yet = Nada todavía.
staff-dashboard-as-table = Las mismas cifras en una tabla
staff-dashboard-day = Día
staff-dashboard-that-day = Ese día
staff-dashboard-so-far = Acumulado
staff-dashboard-by-region = Eventos por región
staff-dashboard-by-country = Eventos por país
staff-dashboard-no-region = Sin región
staff-dashboard-every-region = Cada región tiene un evento.
staff-dashboard-none-yet = { $count ->
    [one] Una región aún no tiene eventos:
   *[other] { $count } regiones aún no tienen eventos:
}
staff-dashboard-exports = Descargar
staff-export-events = Eventos (CSV)
staff-export-rsvps = Inscripciones (CSV)
staff-export-reports = Informes, una fila por caso (CSV)
staff-export-for-spreadsheets = para hojas de cálculo
staff-dashboard-link = Panel

## Good news
rsvp-notify = Infórmenme de lo que pase: las buenas noticias de los casos, por correo
staff-good-news-notify = Enviar esta buena noticia a quienes organizaron eventos que escribieron por este caso y a los asistentes que pidieron estar informados
campaign-good-news = Buenas noticias

## Online actions
action-title = Actúa ahora, en línea
action-intro = Añade tu nombre: lleva un minuto. Te enviamos un correo para confirmar, y tu acción cuenta en cuanto confirmas.
action-field-name = Tu nombre
action-email-hint = Solo para confirmar tu acción (y, si lo pides, contarte qué pasa). Nunca se muestra ni se entrega a las autoridades.
action-add-message = Añadir un mensaje personal (opcional)
action-field-message = Tu mensaje a las autoridades
action-message-hint = Hasta 1.000 caracteres. Acompaña tu nombre en la lista que entregamos.
action-updates = Contarme qué pasa en este caso
action-submit = Añadir mi nombre
action-all-cases = Actuar por varios casos a la vez
action-choose-cases = Los casos por los que actúas
action-choose-case = Elige al menos un caso.
action-closed = Esta campaña ya no recibe acciones en línea. Gracias por venir.
action-slow-down = Acaban de llegar muchas acciones desde tu conexión. Inténtalo de nuevo en un momento.
action-challenge-working = Tu navegador hace una breve comprobación antes de enviar…
action-challenge-noscript = Están llegando muchas acciones ahora: activa JavaScript para una breve comprobación, o inténtalo en unos minutos.
action-check-email-title = Revisa tu correo
action-check-email = Te hemos enviado un correo. Abre el enlace y pulsa el botón para confirmar: tu acción cuenta desde entonces. Si no llega nada, mira en la carpeta de spam.
action-confirm-title = Confirma tu acción
action-confirm-intro = { $name }, pulsa el botón para contar tu acción por:
action-confirm-button = Confirmar mi acción
action-confirmed = Gracias: tu acción está contada.
action-already-counted = Este enlace ya se usó: tu acción está contada.
action-link-expired = Este enlace ha caducado: las acciones sin confirmar se borran a los 30 días. Puedes actuar de nuevo desde la página del caso.
action-link-unknown = Este enlace no es válido. Usa el enlace de tu correo tal cual.
action-back-home = Volver a las campañas
action-staff-title = Acciones en línea
action-staff-cases = Listas para las autoridades
action-staff-counted = { $count ->
    [one] Una acción confirmada
   *[other] { $count } acciones confirmadas
}
action-staff-csv = Lista (CSV)
action-staff-pdf = Petición (PDF)
action-staff-deliveries = Entregas
action-staff-delivered-on = Entregada el
action-staff-method = Cómo (correo postal, en mano, email…)
action-staff-actions = Acciones
action-staff-by = Anotada por
action-staff-note = Nota
action-staff-record-delivery = Anotar una entrega
action-staff-record = Anotar
action-staff-clusters = Grupos sospechosos
action-staff-clusters-hint = Acciones desde una misma red, con un mismo mensaje, o en un mismo minuto desde una misma red. Invalidarlas las saca del recuento; los remitentes no reciben aviso.
action-staff-no-clusters = Nada sospechoso.
action-staff-kind = Tipo
action-staff-key = Lo que comparten
action-staff-confirmed = Confirmadas
action-staff-disposable = Direcciones desechables
action-staff-when = Desde – hasta
action-staff-invalidate = Invalidar
action-cluster-network = Misma red
action-cluster-message = Mismo mensaje
action-cluster-burst = Ráfaga
kit-petition-heading = Petición por { $case }
kit-petition-to = A { $authority }
kit-petition-count = { $count ->
    [one] Una persona de { $countries } país firmó en línea.
   *[other] { $count } personas de { $countries ->
        [one] un país
       *[other] { $countries } países
    } firmaron en línea.
}
kit-petition-col-country = País
tally-online = acciones en línea, confirmadas
tally-online-short = En línea
## Webhooks (administradores)
webhooks-title = Webhooks
webhooks-intro = Avise a sus otros sistemas (un CRM, un canal de chat) de nuevos eventos, inscripciones, informes y acciones en línea. Cada mensaje va firmado según Standard Webhooks y se reintenta durante un día hasta que su servidor responda con un 2xx.
webhooks-none = Todavía no hay ningún webhook.
webhook-title = Webhook
webhook-url = Dirección (URL)
webhook-url-hint = Una dirección http o https en Internet público.
webhook-description = Descripción
webhook-events = Qué enviar
webhook-state = Estado
webhook-active = Activo
webhook-paused = En pausa
webhook-add = Añadir un webhook
webhook-private-allowed = Este servidor permite que los webhooks lleguen a direcciones privadas y locales.
webhook-secret-once = El secreto de firma, que se muestra solo esta vez. Cópielo ahora en el sistema que recibe:
webhook-counts = Envíos
webhook-status-queued = en cola
webhook-status-sent = entregado
webhook-status-failed = fallido
webhook-send-test = Enviar una prueba
webhook-rotate = Nuevo secreto
webhook-settings = Ajustes
webhook-save = Guardar
webhook-deliveries = Envíos recientes
webhook-deliveries-none = Todavía no se ha enviado nada.
webhook-delivery-type = Mensaje
webhook-delivery-status = Estado
webhook-delivery-attempts = Intentos
webhook-delivery-last = Último intento
webhook-delivery-response = Respuesta
webhook-retry = Reintentar
webhook-delete = Eliminar este webhook
webhook-created = Webhook añadido.
webhook-saved = Guardado.
webhook-test-queued = Un mensaje de prueba está en camino.
webhook-retry-queued = Se volverá a intentar el envío.
webhook-rotated = Se creó un nuevo secreto. El anterior también firma los mensajes durante las próximas 24 horas.
webhook-error-url-missing = Indique la dirección a la que enviar.
webhook-error-url-long = Esta dirección es demasiado larga.
webhook-error-url = Esto no es una dirección web.
webhook-error-url-scheme = Solo se permiten direcciones http y https.
webhook-error-url-credentials = No ponga nombre de usuario ni contraseña en la dirección.
webhook-error-url-private = Esta dirección está en una red privada o local, a la que los webhooks no pueden llegar.
webhook-error-description = La descripción debe tener menos de 200 caracteres.
webhook-error-events = Elija al menos una cosa que enviar.
webhook-error-events-unknown = Uno de estos no es un tipo de mensaje que enviemos.
webhook-error-not-failed = Solo un envío fallido puede reintentarse.
webhook-error-status = El estado es queued, sent o failed.
webhook-error-limit = El límite está entre 1 y 500.
## Historias
stories-heading = Historias
stories-title = Historias: { $campaign }
stories-intro = Lo que las personas anfitrionas nos contaron de sus maratones de cartas, elegido por el equipo de la campaña.
stories-empty = Todavía no hay historias que mostrar.
stories-feature = Destacar esta historia
stories-unfeature = Dejar de destacar
stories-candidates = Historias que podría destacar
stories-candidates-hint = Palabras de anfitriones de eventos públicos de sus países; solo las historias destacadas son públicas.
stories-candidates-empty = Todavía no hay otras historias.
story-error-voided = Este informe ya no cuenta: su historia no se puede destacar.
story-error-empty = Este informe no tiene historia que destacar.
story-error-private = Las historias de eventos privados siguen siendo privadas.
share-facts = { $events } eventos con informe · { $countries } países
photos-progress-sending = enviando…
photos-progress-sent = enviada
photos-progress-retrying = se cortó la conexión, reintentando…
photos-progress-failed = no se pudo enviar; inténtelo más tarde
## Recap
recap-title = Resumen: { $campaign }
recap-draft = Borrador: solo el personal ve este resumen hasta que se publique.
recap-edit = Editar el resumen
recap-totals = Totales
recap-total-letters = cartas escritas
recap-total-solidarity = mensajes de solidaridad
recap-total-participants = participantes
recap-total-events = eventos
recap-total-countries = países
recap-unreported = { $count ->
    [one] Un evento aún no ha enviado su informe: quedan muchas cartas por contar.
   *[other] { $count } eventos aún no han enviado su informe: quedan muchas cartas por contar.
}
recap-map-world = Cartas por país
recap-map-world-desc = Un mapa del mundo con los { $count } países participantes sombreados según las cartas escritas; la tabla de abajo da las mismas cifras.
recap-map-regions = Cartas en { $country }, por región
recap-regions-line = Eventos en { $with } de las { $all } regiones de { $country }.
recap-none-yet = Aún sin eventos: { $regions }.
recap-legend-from = { $count } o más
recap-map-credit = Mapa: Natural Earth.
recap-letters-count = { $count ->
    [one] una carta
   *[other] { $count } cartas
}
recap-countries = Todos los países participantes
recap-col-place = Lugar
recap-col-letters = Cartas
recap-col-solidarity = Mensajes de solidaridad
recap-col-events = Eventos
recap-col-regions = Regiones
recap-col-kind = Tipo de lugar
recap-country-regions = eventos en { $with } de { $all } regiones
recap-kinds = Dónde se escribió
recap-cities = Ciudades destacadas
recap-stories = Historias
recap-more-stories = Más historias
recap-photos = Fotos
recap-download-pdf = Descargar el resumen para imprimir (PDF)
recap-published-on = Publicado el { $date }.
recap-publish = Publicar el resumen
recap-unpublish = Volver a borrador
recap-introduction = Introducción
recap-introduction-hint = Se muestra arriba del resumen en este idioma. Markdown: **negrita**, *cursiva*, enlaces, listas.
recap-map-country = País cuyas regiones se muestran en el mapa
recap-map-country-none = Ninguno
recap-photos-choose = Fotos que mostrar
recap-photos-hint = Elija hasta { $max } fotos públicas aprobadas.
recap-photos-none = Aún no hay fotos públicas aprobadas.
recap-save = Guardar el resumen
recap-error-map-country = Elija un país de la lista.
recap-error-photos = Elija fotos de la lista: una de ellas ya no es pública.
recap-error-photos-many = Elija como máximo { $max } fotos.
## Schools
schools-heading = Escuelas
recap-heading = Resumen
host-reported = Informe
host-letters = { $count ->
    [one] una carta
   *[other] { $count } cartas
}
host-solidarity = { $count ->
    [one] un mensaje de solidaridad
   *[other] { $count } mensajes de solidaridad
}
host-participants = { $count ->
    [one] una persona
   *[other] { $count } personas
}
school-link = Su escuela
school-title = Su escuela
school-intro = Indique el nombre de su escuela o universidad, para usted y el personal de la campaña. Si lo desea, inclúyala en la lista pública de escuelas de la campaña con las cartas de sus clases, para que otras clases de su región la vean.
school-name = Escuela o universidad
school-name-hint = Como se la conoce, por ejemplo «Colegio San José».
school-listed = Incluir nuestra escuela y sus cartas en la lista pública de escuelas
school-listed-hint = Solo se muestran el nombre de la escuela, su región y sus cifras; nunca la dirección del evento ni el nombre de nadie. Los eventos de países en modo de seguridad nunca se listan.
school-save = Guardar
school-saved = Guardado.
school-error-long = El nombre debe tener menos de { $max } caracteres.
school-error-listed-unnamed = Indique el nombre de la escuela para incluirla.
schools-title = Escuelas: { $campaign }
schools-intro = Escuelas y universidades que eligieron aparecer en la lista, con las cartas que escribieron sus clases, por región.
schools-every-country = Todos los países
schools-none = Aún no hay escuelas en la lista.
