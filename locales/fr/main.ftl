## Mise en page
skip-to-content = Aller au contenu principal
nav-label = Principal
nav-campaigns = Campagnes
nav-staff = Équipe
nav-account = Votre compte
nav-sign-in = Se connecter
nav-sign-up = Créer un compte
nav-sign-out = Se déconnecter
language-label = Langue
footer-about = Writeathon — des lettres qui changent des vies. Écrivez aux autorités au sujet de personnes en danger, et envoyez votre solidarité aux personnes elles-mêmes.

## Erreurs
error-bad-request = Cette demande n’a pas pu être comprise
error-unauthorized = Veuillez vous connecter
error-forbidden = Vous n’avez pas le droit de faire ceci
error-not-found = Page introuvable
error-not-found-help = L’adresse est peut-être mal saisie, ou la page a été retirée.
error-method-not-allowed = Cette action n’est pas possible ici
error-timeout = Cela a pris trop de temps
error-conflict = Ceci entre en conflit avec une action déjà faite
error-too-large = C’est trop volumineux
error-unsupported-media-type = Ce type de contenu n’est pas accepté ici
error-invalid = Certaines valeurs ne sont pas valides
error-rate-limited = Trop de tentatives
error-internal = Un problème est survenu de notre côté
error-internal-help = Vous n’y êtes pour rien. Veuillez réessayer dans un instant.
error-reference = Référence : { $id }
error-back-home = Retour à l’accueil
error-csrf = Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.
error-form-malformed = Le formulaire n’a pas pu être lu. Rechargez la page et réessayez.
error-json = Le corps JSON n’a pas pu être lu : { $reason }
error-json-content-type = Envoyez le corps en JSON avec Content-Type: application/json.
error-idempotency-key = L’en-tête Idempotency-Key doit compter de 1 à 255 caractères visibles.
error-idempotency-reused = Cette Idempotency-Key a déjà servi pour une autre requête.
error-idempotency-in-progress = Une requête avec cette Idempotency-Key est encore en cours ; réessayez dans un instant.
rate-limited = Trop de tentatives. Veuillez patienter { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
} avant de réessayer.

## Champs de formulaire
field-required = Ce champ est obligatoire.
field-too-short = Utilisez au moins { $min } caractères.
field-too-long = Utilisez au plus { $max } caractères.
field-control-chars = Retirez les caractères de contrôle invisibles.
field-single-line = Écrivez ceci sur une seule ligne.
field-slug = Utilisez de 2 à 60 lettres minuscules, chiffres et tirets, comme w4r-2017.
field-slug-hint = Lettres minuscules, chiffres et tirets, comme w4r-2017. Fait partie de l’adresse web ; il ne pourra plus être modifié.
field-date = Saisissez une date au format AAAA-MM-JJ.
field-country = Choisissez un pays dans la liste.
field-choice = Choisissez l’une des options.
field-slug-label = Adresse web (identifiant)
field-country-label = Pays
field-date-label = Date
field-choose = Choisir…
field-language = Utilisez l’un de ces codes de langue : { $languages }.
field-number-range = Saisissez un nombre entier de { $min } à { $max }.
field-email-invalid = Saisissez une adresse électronique comme nom@exemple.org.
field-display-name = Votre nom
field-password = Mot de passe
field-new-password = Choisissez un mot de passe
field-title = Titre
field-intro = Présentation
field-markdown-hint = Vous pouvez utiliser Markdown : **gras**, listes, liens.
field-starts-on = Événements à partir du
field-ends-on = Événements jusqu’au
field-case-name = Nom de la personne ou du groupe
field-summary = Son histoire
field-authority-name = Nom de l’autorité
field-authority-title = Sa fonction
field-authority-address = Adresse postale
field-salutation = Formule d’appel
field-solidarity = Comment les messages de solidarité leur parviennent
field-solidarity-hint = Où envoyer cartes et messages, et quoi écrire.
field-status = Statut
field-note = Ce qui s’est passé
field-email = Adresse électronique
slug-taken = Cette adresse est déjà utilisée ; choisissez-en une autre.

## Comptes
signup-title = Créer un compte
signup-intro = Organisez un événement, déclarez vos lettres et suivez la campagne. Cela prend une minute.
signup-submit = Créer le compte
signup-have-account = Vous avez déjà un compte ?
signup-sent-title = Consultez vos courriels
signup-sent = Nous avons envoyé un message à { $email }. Suivez son lien pour confirmer votre adresse, puis connectez-vous.
signup-sent-hint = Cela peut prendre une minute ; regardez aussi dans vos indésirables. Si cette adresse a déjà un compte, le message le dit.
signin-title = Se connecter
signin-submit = Se connecter
signin-no-account = Première visite ?
signin-failed = Cette adresse et ce mot de passe ne correspondent à aucun compte.
signin-forgot = Mot de passe oublié ?
signin-by-link = Recevoir un lien de connexion par courriel
link-reset-title = Réinitialiser votre mot de passe
link-reset-intro = Saisissez l’adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
link-sign-in-title = Se connecter par courriel
link-sign-in-intro = Saisissez l’adresse de votre compte : nous vous enverrons un lien qui vous connecte, sans mot de passe.
link-submit = M’envoyer le lien
link-sent = Si { $email } correspond à un compte, un lien est en route.
link-sent-hint = Cela peut prendre une minute ; regardez aussi dans vos indésirables. Le lien fonctionne une fois.
link-back-to-sign-in = Retour à la connexion
link-sign-in-confirm = Appuyez sur le bouton pour vous connecter sur cet appareil.
link-spent-title = Ce lien ne fonctionne plus
link-spent-text = Il a déjà servi, ou il a expiré. Les liens de nos courriels fonctionnent une fois, pour une durée limitée.
link-ask-again = Demander un nouveau lien
link-go-account = Aller à votre compte
verified-title = Adresse confirmée
verified-text = Merci : votre adresse électronique est confirmée.
reset-title = Choisir un nouveau mot de passe
reset-intro = Vos autres sessions seront déconnectées.
reset-submit = Enregistrer le nouveau mot de passe
verify-pending = Pas encore confirmée : suivez le lien du courriel que nous vous avons envoyé.
verify-sent = Nous vous avons envoyé un nouveau lien de confirmation.
verify-resend = Renvoyer le lien
unsubscribe-title = Rappels
unsubscribe-on = Les rappels sont activés pour cette adresse.
unsubscribe-what = Ils arrivent la veille des événements auxquels vous êtes inscrit·e et, si vous organisez, après votre événement tant qu’il n’est pas déclaré. Les confirmations et les messages sur vos propres événements continuent d’arriver.
unsubscribe-turn-off = Désactiver les rappels
unsubscribe-off = Les rappels sont désactivés pour cette adresse : nous n’en enverrons plus.
unsubscribe-turn-on = Réactiver les rappels
password-hint = Au moins 8 caractères. Quelques mots sans rapport font un mot de passe solide ; votre gestionnaire de mots de passe peut le remplir.
password-length = Utilisez entre { $min } et { $max } caractères.
password-common = Ce mot de passe est trop courant ; choisissez-en un plus difficile à deviner.
account-title = Votre compte
account-role = Rôle
role-host = Organisateur·rice
role-staff = Équipe (tous les pays)
role-staff-country = Équipe pour { $country }
role-admin = Administrateur·rice
tokens-title = Jetons d’API
tokens-intro = Les jetons permettent à vos propres outils d’utiliser l’API Writeathon en votre nom. Gardez-les secrets et révoquez ceux que vous n’utilisez plus.
tokens-new-once = Voici votre nouveau jeton. Copiez-le maintenant : il ne sera plus affiché.
tokens-none = Vous n’avez aucun jeton d’API.
tokens-label = Libellé
tokens-starts-with = Commence par
tokens-created = Créé le
tokens-last-used = Dernière utilisation
tokens-never = Jamais
tokens-actions = Actions
tokens-revoke = Révoquer
tokens-revoke-named = Révoquer le jeton « { $label } »
tokens-create = Créer un jeton

## Campagnes
home-title = Écrire pour les droits
home-intro = Chaque mois de décembre, autour de la Journée des droits de l’homme, des gens du monde entier écrivent des lettres qui changent des vies. Trouvez une campagne, lisez les cas et écrivez.
home-no-campaigns = Il n’y a pas encore de campagne.
campaign-global-day = Journée mondiale : { $date }
campaign-open-now = Événements ouverts
campaign-days-until = { $count ->
    [one] Plus qu’un jour avant la journée mondiale
   *[other] Plus que { $count } jours avant la journée mondiale
}
campaign-today = C’est aujourd’hui la journée mondiale : écrivez maintenant !
campaign-was-on = La journée mondiale a eu lieu le { $date }.
campaign-find-events = Trouver un événement près de chez vous
campaign-host-event = Organiser un événement
campaign-global-day-label = Journée mondiale
campaign-window-label = Événements
campaign-window = du { $from }
campaign-window-to = au { $to }
campaign-deadline-label = Déclarer les lettres avant le
campaign-goal-label = Objectif
campaign-goal = { $count } lettres
campaign-global-day-in-window = La journée mondiale doit tomber pendant la période des événements.
campaign-window-too-long = La période des événements peut durer au plus un an.
campaign-deadline-after-window = La date limite de déclaration ne peut pas précéder la fin de la période des événements.
cases-title = Cas
cases-intro = Chaque cas est une personne ou un groupe en danger. Écrivez à l’autorité, et envoyez un message de solidarité.
cases-none = Pas encore de cas.
case-status-active = En cours
case-status-good-news = Bonne nouvelle
case-status-closed = Clos
case-not-translated = Ce cas n’est pas encore disponible dans votre langue.
case-updates = Nouvelles
case-write-to = Écrire à
case-salutation = Formule d’appel :
case-sample-letter = Modèle de lettre
case-sample-letter-hint = Servez-vous-en comme point de départ ; une lettre dans vos propres mots compte le plus.
case-solidarity = Envoyer votre solidarité

## Équipe
staff-title = Équipe
staff-new-campaign = Nouvelle campagne
staff-edit-campaign = Modifier cette campagne
staff-edit = Modifier
staff-add-case = Ajouter un cas
staff-edit-case = Modifier ce cas
staff-save = Enregistrer
staff-editing-in = Textes en { $language }
staff-edit-in = modifier en { $language }
staff-add-update = Ajouter une nouvelle
staff-current-status = Statut actuel : { $status }

## Événements
nav-host = Vos événements
form-has-errors = Certaines réponses sont à revoir : voyez les messages ci-dessous.
yes = Oui
no = Non
field-number = Saisissez un nombre.
kind-home = À la maison
kind-school = École
kind-university = Université ou cégep
kind-faith = Église ou communauté de foi
kind-community-centre = Centre communautaire
kind-cafe = Café
kind-pub = Pub ou bar
kind-workplace = Lieu de travail
kind-library = Bibliothèque
kind-outdoor = En plein air
kind-online = En ligne
kind-other = Ailleurs
event-status-published = Publié
event-status-cancelled = Annulé
event-status-unpublished = Retiré
event-new-title = Inscrire un événement
event-new-intro = Cela prend deux minutes. Vous pourrez tout modifier ensuite.
event-edit-title = Modifier l’événement
event-register = Inscrire l’événement
event-field-title = Nom de l’événement
event-field-title-hint = Par exemple : Lettres et soupe à St. Thomas
event-field-kind = Où il a lieu
event-field-visibility = Qui peut venir
event-public = Tout le monde : le publier pour qu’on puisse le trouver et s’inscrire
event-private = Seulement les personnes que j’invite : jamais publié, compté seulement dans les totaux
event-field-when = Quand
event-field-start = Début
event-field-end = Fin
event-field-where = Où
event-field-place = Ville ou village
event-field-place-hint = Commencez à écrire et choisissez parmi les suggestions.
event-field-venue = Nom du lieu
event-field-venue-hint = Par exemple : salle paroissiale St. Thomas. Jamais affiché publiquement pour un événement à la maison.
event-field-address = Adresse
event-field-address-hint = Seuls vous, l’équipe et les personnes inscrites confirmées la voient.
event-more = Plus de détails (facultatif)
event-field-capacity = Nombre de places
event-field-capacity-hint = Laissez vide s’il n’y a pas de limite ; au-delà, les gens s’inscrivent sur une liste d’attente.
event-field-accessibility = Accessibilité
event-field-accessibility-hint = Par exemple : entrée de plain-pied, toilettes accessibles, salle calme.
event-field-step-free = Accès de plain-pied
event-field-description = Description
event-field-language = Langue de l’événement
event-field-timezone = Fuseau horaire
event-field-timezone-hint = Laissez tel quel pour utiliser le fuseau horaire de la ville.
event-timezone-auto = Le fuseau horaire de la ville
event-cancel = Annuler cet événement
event-cancel-hint = Un événement annulé reste dans votre liste mais disparaît de la recherche.
event-is-cancelled = Cet événement a été annulé.
event-is-unpublished = Cet événement a été retiré par l’équipe de la campagne.
event-private-badge = Privé
event-attending = Participation
event-confirmed-count = { $count ->
    [one] Une personne vient
   *[other] { $count } personnes viennent
}
event-spaces-left = { $count ->
    [0] plus de place
    [one] une place restante
   *[other] { $count } places restantes
}
event-waitlist-count = { $count } sur la liste d’attente
event-attendees = Personnes inscrites
event-attendees-csv = Télécharger la liste (CSV)
event-attendees-none = Personne ne s’est encore inscrit.
event-add-to-calendar = Ajouter à mon agenda
event-cases = Les cas pour lesquels nous écrivons
event-flag = Signaler cet événement
event-flag-reason = Quel est le problème ?
event-country-scope = Vous ne pouvez déplacer cet événement que vers un pays dont vous vous occupez ; son organisateur peut le déplacer où il veut.
event-flag-submit = Envoyer le signalement
event-flag-thanks = Merci : l’équipe de la campagne examinera votre signalement.
event-datetime = Saisissez une date et une heure comme 2017-12-10T13:00:00-03:30.
event-time = Saisissez une heure comme 13:30.
event-time-skipped = Cette heure n’existe pas ce jour-là dans ce fuseau (changement d’heure) ; choisissez-en une autre.
event-end-after-start = La fin doit être après le début.
event-too-long = Un événement peut durer au plus sept jours.
event-outside-window = L’événement doit avoir lieu pendant la campagne, du { $from } au { $to }.
event-region-country = Cette région n’est pas dans le pays choisi.
event-latitude = La latitude doit être comprise entre -90 et 90.
event-longitude = La longitude doit être comprise entre -180 et 180.
event-coordinates-pair = Donnez la latitude et la longitude, ou aucune des deux.
event-timezone = Choisissez un fuseau horaire dans la liste.
event-language = Utilisez un code de langue de deux ou trois lettres, comme es ou pt.
rsvp-title = S’inscrire pour venir
rsvp-full = Cet événement est complet : inscrivez-vous sur la liste d’attente.
rsvp-email-hint = L’adresse de l’événement et un lien d’annulation vous sont envoyés ici. L’organisateur·rice ne la voit que si vous l’acceptez ci-dessous.
rsvp-consent = L’organisateur·rice peut me contacter au sujet de cet événement
rsvp-consent-short = Contact accepté
rsvp-submit = M’inscrire
rsvp-confirmed-title = Vous venez !
rsvp-confirmed = Vous êtes inscrit·e à { $event }.
rsvp-waitlisted-title = Vous êtes sur la liste d’attente
rsvp-waitlisted = { $event } est complet pour l’instant. Si une place se libère, elle sera automatiquement pour vous.
rsvp-address-by-email = L’adresse et les détails vous parviennent par courriel.
rsvp-cancel-by-email = Votre courriel contient le lien pour annuler si vos plans changent.
rsvp-back = Retour à l’événement
rsvp-manage-title = Votre inscription
rsvp-status-of = Inscription de { $name } :
rsvp-status-confirmed = vient
rsvp-status-waitlisted = sur la liste d’attente
rsvp-status-cancelled = annulée
rsvp-cancel = Annuler mon inscription
rsvp-cancelled = Votre inscription est annulée.
host-title = Vos événements
host-register-in = Inscrire un événement pour { $campaign }
host-no-events = Vous n’avez pas encore inscrit d’événement.
finder-title = Événements — { $campaign }
finder-host-one = Organiser un événement vous-même
finder-place = Ville ou village
finder-use-location = Utiliser ma position
finder-location-error = Votre position est introuvable. Tapez plutôt une ville.
finder-location-pending = Recherche de votre position…
finder-radius = Dans un rayon de
finder-filters = Filtres
finder-text = Mots du titre ou du lieu
finder-any-kind = Tous les types
finder-any-language = Toutes les langues
finder-from = Du
finder-to = Au
finder-sort = Trier par
finder-sort-distance = Distance
finder-sort-date = Date
finder-submit = Trouver des événements
finder-map-failed = La carte détaillée n’a pas pu être chargée : elle ne montre que les frontières. Tous les événements sont dans la liste.
finder-results = Événements
finder-results-near = Événements près de { $place }
finder-none = Aucun événement ne correspond. Élargissez le rayon ou retirez des filtres — ou organisez-en un !
finder-next = Page suivante
finder-feeds = Suivre les événements :
finder-place-unknown = Nous ne connaissons pas cette ville. Vérifiez l’orthographe ou essayez une ville plus grande à proximité.
finder-near = Donnez le lieu en latitude,longitude, comme 47.56,-52.71.
finder-radius-range = Choisissez une distance jusqu’à { $max } km.
finder-cursor = Ce lien de page a expiré ; recommencez la recherche.
moderation-title = Modération et sécurité
moderation-flags = Événements signalés
moderation-no-flags = Aucun signalement en attente.
moderation-reason = Raison du retrait (montrée à l’organisateur·rice)
moderation-unpublish = Retirer l’événement
moderation-dismiss = Classer le signalement
moderation-unpublished = Événements retirés
moderation-republish = Le remettre en ligne
safety-title = Mode sécurité
safety-intro = Dans un pays en mode sécurité, les noms des organisateur·rice·s ne sont jamais montrés et chaque lieu public se limite à la ville ; les noms des lieux sont masqués. À utiliser là où organiser un événement est risqué.
safety-none = Aucun pays n’est en mode sécurité.
safety-on = Activé
safety-off = Désactivé

## Bilan et décompte
report-title = Déclarer vos lettres
report-edit-title = Votre bilan
report-intro = Pour chaque cas, combien de lettres aux autorités et combien de messages de solidarité ont été écrits ? Laissez vide un cas sur lequel personne n’a écrit.
report-letters = Lettres à l’autorité
report-solidarity = Messages de solidarité
report-participants = Nombre de participant·e·s
report-highlights = Un court récit (facultatif)
report-highlights-hint = Un moment de votre événement, pour le bilan de la campagne. Ne nommez personne en danger.
report-submit = Envoyer le bilan
report-reason = Pourquoi vous corrigez ce bilan
report-history = Historique
report-action-created = déclaré
report-action-edited = modifié
report-action-voided = annulé
report-void = Annuler ce bilan
report-void-reason = Pourquoi il est annulé
report-is-voided = Ce bilan a été annulé par l’équipe.
report-voided-short = annulé
report-flagged = à vérifier
report-list-title = Bilans
report-thanks = Merci ! Vos lettres sont dans le décompte.
report-add = Ajouter un bilan
report-none = Pas encore de bilan.
report-open = Ouvrir le bilan
report-closed = Les bilans sont ouverts du début de l’événement jusqu’à la date limite de la campagne.
report-count = Saisissez un nombre entier de 0 à { $max }.
report-case-unknown = Il n’y a pas de cas « { $case } » dans cette campagne.
report-case-twice = Le cas « { $case } » figure deux fois.
report-too-many-items = Trop de cas dans un même bilan.
report-voided = Ce bilan a été annulé et ne peut plus changer.
event-report-letters = Déclarer vos lettres
event-reports = Bilans
tally-title = Le décompte
tally-letters = lettres aux autorités
tally-solidarity = messages de solidarité
tally-letters-short = lettres
tally-solidarity-short = solidarité
tally-participants = participant·e·s
tally-participants-label = Participant·e·s
tally-events-registered = Événements inscrits
tally-events-reported = Événements ayant fait leur bilan
tally-countries = Pays
tally-events = Événements
tally-sum-note = La somme de tous les bilans à ce jour ; il en arrive chaque jour jusqu’à la date limite.
tally-by-case = Par cas
tally-by-country = Par pays
tally-by-region = Par province, État ou région
tally-by-kind = Par type d’événement
tally-embed-hint = Affichez le compteur en direct sur votre site :
tally-written-so-far = écrits jusqu’ici
tally-see = Voir le décompte
embed-letters = lettres et messages écrits
moderation-reports = Bilans à vérifier
moderation-no-reports = Aucun bilan ne paraît improbable.
moderation-event = événement
report-flag-many-per-participant = beaucoup de lettres par participant·e
report-flag-edit-jump = une modification d’un facteur dix ou plus
data-title = Vos données
data-intro = Tout ce que Writeathon conserve sur vous, vous pouvez l’emporter, et votre compte, le supprimer.
data-privacy-link = Ce que nous conservons, et combien de temps
data-download = Télécharger mes données
data-delete = Supprimer mon compte
delete-title = Supprimer mon compte
delete-intro = C’est définitif. Quand vous supprimez votre compte :
delete-what-account = votre nom, votre adresse, votre mot de passe, vos sessions, vos jetons d’API et les courriels que nous vous avons envoyés sont effacés, ainsi que les inscriptions faites avec votre adresse confirmée ;
delete-what-events = vos événements à venir sont annulés, et les personnes inscrites sont prévenues ;
delete-what-reports = les lettres que vous avez déclarées comptent toujours dans le décompte, sans votre nom, et les adresses de vos événements sont effacées.
delete-confirm-label = Tapez votre adresse électronique pour confirmer
delete-confirm-hint = L’adresse avec laquelle vous vous connectez.
delete-confirm-mismatch = Ce n’est pas l’adresse de votre compte.
delete-submit = Supprimer mon compte définitivement
deleted-title = Votre compte est supprimé
deleted-text = Tout ce qui est indiqué est effacé. Merci d’avoir écrit.
deleted-home = Retour à l’accueil
token-needs-confirmed-email = Confirmez d’abord votre adresse : un jeton d’API n’est donné qu’à un compte dont l’adresse est confirmée.
privacy-title = Confidentialité
privacy-in-english = Cette page est en anglais.
second-factor-title = Connexion en deux étapes
second-factor-intro-enrol = Le personnel et les admins se connectent avec un code d’une application d’authentification en plus du mot de passe. Scannez le code QR avec l’application, ou ouvrez le lien sur le téléphone qui la porte, ou tapez la clé à la main ; puis tapez le code à six chiffres qu’elle affiche.
second-factor-qr-alt = Code QR qui ajoute Writeathon à une application d’authentification
second-factor-open-link = Ouvrir dans mon application d’authentification
second-factor-key = Clé à taper à la main :
second-factor-code = Code à six chiffres (ou un code de secours)
second-factor-code-enrol = Code à six chiffres de l’application
second-factor-submit = Confirmer
second-factor-on = La connexion en deux étapes est activée pour votre compte.
second-factor-recovery-title = Vos codes de secours
second-factor-recovery-intro = Chacun de ces codes vous connecte une fois si vous perdez votre téléphone. Gardez-les en lieu sûr : ils ne sont montrés que maintenant.
second-factor-ask-title = Tapez votre code
second-factor-ask-intro = Ouvrez votre application d’authentification et tapez le code à six chiffres de Writeathon.
second-factor-wrong = Ce code n’est pas le bon, ou a déjà servi. Essayez le suivant.
second-factor-too-many = Trop de codes essayés. Attendez un quart d’heure, puis réessayez.
second-factor-needed = Votre rôle de personnel demande la connexion en deux étapes : en attendant, vous n’avez que les droits d’un·e hôte.
second-factor-set-up = Activer la connexion en deux étapes
email-taken = Un compte existe déjà avec cette adresse. Connectez-vous plutôt.

## Staff console: not reported, exports, audit trail
staff-unreported-title = Pas encore de bilan
staff-unreported-count = { $count ->
    [one] Un événement terminé n’a pas envoyé de bilan.
   *[other] { $count } événements terminés n’ont pas envoyé de bilan.
}
staff-unreported-none = Tous les événements terminés ont envoyé leur bilan. Merci aux organisateurs !
staff-unreported-place = Lieu
staff-unreported-ended = Terminé le
staff-unreported-host = Organisateur
staff-unreported-last-reminder = Dernier rappel
staff-unreported-never = jamais
staff-remind-now = Envoyer un rappel maintenant
staff-remind-done-today = Rappel envoyé aujourd’hui
staff-remind-sent = Le rappel part vers l’organisateur.
staff-remind-already = Cet organisateur a déjà reçu un rappel aujourd’hui : un par jour suffit.
staff-remind-off = Cet organisateur a désactivé les rappels. Contactez-le autrement.
staff-remind-not-due = Cet événement a envoyé son bilan ou n’est pas terminé : il n’y a rien à rappeler.
staff-every-country = Tous les pays
staff-filter = Afficher
staff-download-csv = Télécharger en CSV
staff-error-country = Aucun pays n’a ce code.
staff-error-repeated = Donnez ce filtre une seule fois.
staff-error-unknown-filter = Ce filtre n’existe pas.
staff-error-bom = Indiquez 1 pour une marque d’ordre des octets, 0 pour aucune.
staff-error-number = Indiquez un nombre entier supérieur à zéro.
staff-error-too-long = C’est trop long.
staff-error-subject = Donnez ensemble le type et le numéro de l’objet.
staff-error-campaign = Aucune campagne n’a cette adresse.
staff-audit-title = Journal d’audit
staff-audit-campaign = Campagne (son adresse)
staff-audit-actor = Qui
staff-audit-actor-app = l’application
staff-audit-action = Action
staff-audit-subject = Quoi
staff-audit-subject-type = Type d’objet
staff-audit-subject-id = Numéro de l’objet
staff-audit-when = Quand (UTC)
staff-audit-before = Avant
staff-audit-after = Après
staff-audit-none = Rien n’a été enregistré avec ces filtres.
staff-audit-older = Entrées plus anciennes
## Photos
error-unavailable = Réessayez dans un instant
photo-error-empty = { $name } : le fichier est vide.
photo-error-too-large = { $name } est trop lourd : envoyez des photos de { $max } Mo au plus.
photo-error-type = { $name } n’est pas une photo JPEG, PNG ou WebP.
photo-error-heic = { $name } est une photo HEIC, que nous ne savons pas lire. Envoyez-la en JPEG : sur un iPhone, choisissez Réglages → Appareil photo → Formats → Le plus compatible, ou choisissez la photo dans Safari, qui envoie du JPEG.
photo-error-svg = { $name } est un dessin (SVG), pas une photo : un fichier SVG peut contenir des scripts, nous ne les acceptons pas.
photo-error-animated = { $name } est animée : envoyez une photo fixe.
photo-error-gif = { $name } est un GIF : envoyez une photo JPEG, PNG ou WebP.
photo-error-pixels = { $name } a trop de pixels : { $max } mégapixels au plus.
photo-error-small = { $name } est trop petite pour être une photo.
photo-error-corrupt = { $name } n’a pas pu être lue : le fichier est abîmé ou incomplet.
photo-error-multipart = L’envoi n’a pas pu être lu. Choisissez de nouveau les photos et envoyez-les.
photo-error-too-many = Envoyez au plus { $max } photos à la fois.
photo-error-no-file = Choisissez au moins une photo.
photo-error-one-file = Envoyez une photo par requête.
photo-error-markup = Écrivez du texte simple, sans < ni >.
photo-error-consent = Confirmez que les personnes photographiées ont accepté d’être montrées.
photo-error-event-quota = Cet événement a déjà le nombre maximal de photos ({ $max }) ; { $left } peuvent encore être ajoutées.
photo-error-account-quota = Vous avez envoyé le nombre maximal de photos pour cette campagne ({ $max }) ; { $left } peuvent encore être ajoutées.
photo-error-store = Les photos ne peuvent pas être enregistrées ni lues pour le moment. Rien n’a été gardé : réessayez dans quelques minutes.
photo-error-state = Une décision a déjà été prise pour cette photo.
photos-heading = Photos
photos-add = Ajouter des photos
photos-event-title = Photos de { $event }
report-photos-heading = Photos de votre événement
report-photos-intro = Partagez la journée : choisissez des photos sur votre téléphone ou votre ordinateur. Le personnel regarde chacune avant qu’elle soit montrée.
report-photos-sent = Voir les photos envoyées
photos-added = { $count ->
    [one] Une photo a été envoyée. L’équipe la regardera avant qu’elle soit montrée.
   *[other] { $count } photos ont été envoyées. L’équipe les regardera avant qu’elles soient montrées.
}
photos-files = Photos
photos-files-hint = JPEG, PNG ou WebP, { $max } Mo au plus chacune. Vous pouvez en choisir plusieurs.
photos-caption = Légende
photos-caption-hint = 300 caractères au plus. Elle est lue aux personnes qui ne voient pas l’image.
photos-consent = Les personnes photographiées ont accepté d’être montrées.
photos-minors = Des enfants ou des jeunes de moins de 18 ans sont photographiés
photos-minors-hint = L’équipe peut utiliser ces photos dans les bilans de l’organisation, mais elles ne sont jamais montrées au public.
photos-minors-short = mineurs photographiés
photos-send = Envoyer les photos
photos-sent = Photos envoyées
photos-none-yet = Pas encore de photos.
photos-reason = Motif :
photos-alt = Texte lu à la place de l’image
photos-alt-save = Enregistrer le texte
photo-status-pending = En attente de l’équipe
photo-status-approved = Montrée
photo-status-rejected = Non montrée
photo-status-removed = Retirée
gallery-title = Photos : { $campaign }
gallery-country = Pays
gallery-region = Code de région
gallery-kind = Type d’événement
gallery-any = Tous
gallery-filter = Afficher
gallery-empty = Pas encore de photos à montrer.
gallery-more = Plus de photos
photo-queue-title = Photos à examiner
photo-queue-pending = En attente
photo-queue-empty = Aucune photo n’attend.
photo-queue-approve-ticked = Approuver les photos cochées
photo-queue-tick = Cocher
photo-queue-approve = Approuver
photo-queue-reason = Motif (l’hôte le lit)
photo-queue-reject = Refuser
photo-queue-approved = Montrées
photo-queue-take-down = Retirer
## Kits pour les événements (PDF à imprimer)
kit-author = Writeathon
kit-language = Langue : { $language }
kit-language-unknown = une autre langue
kit-fallback-note = Ce cas n’est pas encore rédigé en { $asked } : il est imprimé ici en { $shown }.
kit-title-campaign = { $campaign } : kit à imprimer
kit-title-letter = Lettre pour { $name }
kit-title-sheet = Fiche du cas : { $name }
kit-title-event = { $title } : kit de l’événement
kit-photo = Photo
kit-write-to = Écrire à
kit-ask = Le modèle de lettre de ce kit dit ce qu’il faut demander. Écrivez avec vos propres mots si vous le pouvez : une lettre personnelle compte davantage.
kit-your-address = Vos nom et adresse
kit-signature = Votre signature et votre nom
kit-letter-subject = Objet : { $name }
kit-salutation-default = Madame, Monsieur,
kit-address-to-follow = Adresse à venir : consultez la page du cas avant de poster cette lettre.
kit-postage = Lettre internationale pour { $country } : demandez l’affranchissement à votre bureau de poste.
kit-card-front = En solidarité avec
kit-card-line = Vous n’êtes pas seul·e.
kit-card-idea = Quoi écrire
kit-card-idea-default = Écrivez quelques mots chaleureux d’espoir et de soutien. Restez bref, et ne parlez ni de l’affaire ni des responsables concernés.
kit-fold = plier
kit-signin-title = Feuille de présence
kit-privacy = L’adresse e-mail est facultative : indiquez-la seulement si vous voulez des nouvelles de cet événement par l’organisateur. Cette feuille reste chez l’organisateur ; elle n’est ni mise en ligne ni partagée.
kit-col-name = Nom
kit-col-email = E-mail (facultatif)
kit-col-letters = Lettres écrites
kit-qr-report = Organisateurs : déclarez les lettres écrites
kit-qr-event = La page de l’événement : détails et inscription
kit-poster-invite = Venez écrire des lettres qui changent des vies. Tout le monde est bienvenu.
kit-place-private = L’adresse est communiquée aux personnes inscrites.
kit-lang-unknown = Cette langue n’est pas disponible pour les kits. Choisissez parmi : { $languages }.
kit-paper-unknown = Choisissez le format de papier a4 ou letter.
kit-poster-unknown = Choisissez poster=a3 pour une affiche A3, ou ne mettez rien.
kit-download-letter = Lettre à imprimer (PDF)
kit-download-sheet = Fiche du cas à imprimer (PDF)
kit-download-campaign = Kit à imprimer : fiche, lettre et carte de chaque cas (PDF)
kit-download-event = Kit de l’événement (PDF)
kit-download-event-a3 = Kit de l’événement avec une affiche A3 (PDF)
kit-download-event-help = Fiche, lettre et carte de chaque cas, une feuille de présence et une affiche avec des codes QR vers la page de votre événement et le formulaire de bilan.
staff-dashboard-title = Tableau de bord
staff-dashboard-events = Événements inscrits
staff-dashboard-reported-events = Événements avec bilan
staff-dashboard-reports = Bilans reçus
staff-dashboard-letters = Lettres
staff-dashboard-solidarity = Messages de solidarité
staff-dashboard-participants = Participants
staff-dashboard-rsvps = Inscriptions
staff-dashboard-to-do = À traiter
staff-dashboard-unreported = { $count ->
    [one] Un événement terminé sans bilan
   *[other] { $count } événements terminés sans bilan
}
staff-dashboard-open-flags = { $count ->
    [one] Un événement signalé par des visiteurs
   *[other] { $count } événements signalés par des visiteurs
}
staff-dashboard-flagged-reports = { $count ->
    [one] Un bilan qui semble improbable
   *[other] { $count } bilans qui semblent improbables
}
staff-dashboard-failed-mail = { $count ->
    [one] Un message qui n’a pas pu être remis
   *[other] { $count } messages qui n’ont pas pu être remis
}
staff-dashboard-events-chart = Événements inscrits, jour par jour
staff-dashboard-letters-chart = Lettres déclarées, jour par jour
staff-dashboard-chart-most = Le jour le plus chargé : { $count }.
staff-dashboard-nothing-yet = Rien pour l’instant.
staff-dashboard-as-table = Les mêmes chiffres en tableau
staff-dashboard-day = Jour
staff-dashboard-that-day = Ce jour-là
staff-dashboard-so-far = Cumul
staff-dashboard-by-region = Événements par région
staff-dashboard-by-country = Événements par pays
staff-dashboard-no-region = Région non indiquée
staff-dashboard-every-region = Chaque région a un événement.
staff-dashboard-none-yet = { $count ->
    [one] Une région n’a pas encore d’événement :
   *[other] { $count } régions n’ont pas encore d’événement :
}
staff-dashboard-exports = Télécharger
staff-export-events = Événements (CSV)
staff-export-rsvps = Inscriptions (CSV)
staff-export-reports = Bilans, une ligne par cas (CSV)
staff-export-for-spreadsheets = pour les tableurs
staff-dashboard-link = Tableau de bord

## Good news
rsvp-notify = Tenez-moi au courant : les bonnes nouvelles des cas, par e-mail
staff-good-news-notify = Envoyer cette bonne nouvelle aux organisateurs qui ont écrit pour ce cas et aux participants qui ont demandé à être tenus au courant
campaign-good-news = Bonne nouvelle

## Online actions
action-title = Agir maintenant, en ligne
action-intro = Ajoutez votre nom : cela prend une minute. Nous vous envoyons un courriel de confirmation, et votre action compte dès que vous confirmez.
action-field-name = Votre nom
action-email-hint = Seulement pour confirmer votre action (et, si vous le demandez, vous dire ce qui se passe). Elle n’est jamais affichée ni transmise aux autorités.
action-add-message = Ajouter un message personnel (facultatif)
action-field-message = Votre message aux autorités
action-message-hint = Jusqu’à 1 000 caractères. Il accompagne votre nom sur la liste remise.
action-updates = Me dire ce qui se passe dans ce cas
action-submit = Ajouter mon nom
action-all-cases = Agir pour plusieurs cas à la fois
action-choose-cases = Les cas pour lesquels vous agissez
action-choose-case = Choisissez au moins un cas.
action-closed = Cette campagne ne prend plus d’actions en ligne. Merci d’être venu·e.
action-slow-down = Beaucoup d’actions viennent de votre connexion en ce moment. Réessayez dans un instant.
action-challenge-working = Votre navigateur fait une courte vérification avant l’envoi…
action-challenge-noscript = Beaucoup d’actions arrivent en ce moment : activez JavaScript pour une courte vérification, ou réessayez dans quelques minutes.
action-check-email-title = Consultez vos courriels
action-check-email = Nous vous avons envoyé un courriel. Ouvrez le lien qu’il contient et appuyez sur le bouton pour confirmer : votre action compte dès lors. Si rien n’arrive, regardez dans vos indésirables.
action-confirm-title = Confirmez votre action
action-confirm-intro = { $name }, appuyez sur le bouton pour compter votre action pour :
action-confirm-button = Confirmer mon action
action-confirmed = Merci : votre action est comptée.
action-already-counted = Ce lien a déjà servi : votre action est comptée.
action-link-expired = Ce lien a expiré : les actions non confirmées sont supprimées après 30 jours. Vous pouvez agir de nouveau depuis la page du cas.
action-link-unknown = Ce lien n’est pas valide. Utilisez le lien de votre courriel tel quel.
action-back-home = Retour aux campagnes
action-staff-title = Actions en ligne
action-staff-cases = Listes pour les autorités
action-staff-counted = { $count ->
    [one] Une action confirmée
   *[other] { $count } actions confirmées
}
action-staff-csv = Liste (CSV)
action-staff-pdf = Pétition (PDF)
action-staff-deliveries = Remises
action-staff-delivered-on = Remise le
action-staff-method = Comment (poste, en main propre, courriel…)
action-staff-actions = Actions
action-staff-by = Notée par
action-staff-note = Note
action-staff-record-delivery = Noter une remise
action-staff-record = Noter
action-staff-clusters = Groupes suspects
action-staff-clusters-hint = Des actions venues d’un même réseau, avec un même message, ou dans une même minute d’un même réseau. Les invalider les retire du décompte ; les expéditeurs n’en sont pas informés.
action-staff-no-clusters = Rien de suspect.
action-staff-kind = Type
action-staff-key = Ce qu’elles partagent
action-staff-confirmed = Confirmées
action-staff-disposable = Adresses jetables
action-staff-when = Du – au
action-staff-invalidate = Invalider
action-cluster-network = Même réseau
action-cluster-message = Même message
action-cluster-burst = Rafale
kit-petition-heading = Pétition pour { $case }
kit-petition-to = À { $authority }
kit-petition-count = { $count ->
    [one] Une personne de { $countries } pays a signé en ligne.
   *[other] { $count } personnes de { $countries ->
        [one] un pays
       *[other] { $countries } pays
    } ont signé en ligne.
}
kit-petition-col-country = Pays
tally-online = actions en ligne, confirmées
tally-online-short = En ligne
## Webhooks (administrateurs)
webhooks-title = Webhooks
webhooks-intro = Informez vos autres systèmes (un CRM, un canal de discussion) des nouveaux événements, inscriptions, bilans et actions en ligne. Chaque message est signé selon Standard Webhooks et renvoyé pendant une journée tant que votre serveur ne répond pas par un 2xx.
webhooks-none = Aucun webhook pour l’instant.
webhook-title = Webhook
webhook-url = Adresse (URL)
webhook-url-hint = Une adresse http ou https sur l’Internet public.
webhook-description = Description
webhook-events = Quoi envoyer
webhook-state = État
webhook-active = Actif
webhook-paused = En pause
webhook-add = Ajouter un webhook
webhook-private-allowed = Ce serveur permet aux webhooks d’atteindre des adresses privées et locales.
webhook-secret-once = Le secret de signature, affiché cette seule fois. Copiez-le maintenant dans le système destinataire :
webhook-counts = Envois
webhook-status-queued = en attente
webhook-status-sent = remis
webhook-status-failed = en échec
webhook-send-test = Envoyer un test
webhook-rotate = Nouveau secret
webhook-settings = Réglages
webhook-save = Enregistrer
webhook-deliveries = Envois récents
webhook-deliveries-none = Rien d’envoyé pour l’instant.
webhook-delivery-type = Message
webhook-delivery-status = État
webhook-delivery-attempts = Tentatives
webhook-delivery-last = Dernière tentative
webhook-delivery-response = Réponse
webhook-retry = Réessayer
webhook-delete = Supprimer ce webhook
webhook-created = Webhook ajouté.
webhook-saved = Enregistré.
webhook-test-queued = Un message de test est en route.
webhook-retry-queued = L’envoi sera tenté de nouveau.
webhook-rotated = Un nouveau secret a été créé. L’ancien signe aussi les messages pendant les 24 prochaines heures.
webhook-error-url-missing = Indiquez l’adresse à laquelle envoyer.
webhook-error-url-long = Cette adresse est trop longue.
webhook-error-url = Ce n’est pas une adresse web.
webhook-error-url-scheme = Seules les adresses http et https sont permises.
webhook-error-url-credentials = Ne mettez ni nom d’utilisateur ni mot de passe dans l’adresse.
webhook-error-url-private = Cette adresse est sur un réseau privé ou local, que les webhooks ne peuvent pas atteindre.
webhook-error-description = La description doit faire moins de 200 caractères.
webhook-error-events = Choisissez au moins une chose à envoyer.
webhook-error-events-unknown = L’un de ces éléments n’est pas un type de message que nous envoyons.
webhook-error-not-failed = Seul un envoi en échec peut être retenté.
webhook-error-status = L’état est queued, sent ou failed.
webhook-error-limit = La limite est comprise entre 1 et 500.
## Récits
stories-heading = Récits
stories-title = Récits : { $campaign }
stories-intro = Ce que les organisateurs nous ont raconté de leurs marathons d’écriture, choisi par l’équipe de la campagne.
stories-empty = Pas encore de récits à montrer.
stories-feature = Mettre ce récit en avant
stories-unfeature = Ne plus le mettre en avant
stories-candidates = Récits que vous pourriez mettre en avant
stories-candidates-hint = Les mots des organisateurs d’événements publics de vos pays ; seuls les récits mis en avant sont publics.
stories-candidates-empty = Pas d’autre récit pour l’instant.
story-error-voided = Ce compte rendu ne compte plus : son récit ne peut pas être mis en avant.
story-error-empty = Ce compte rendu n’a pas de récit à mettre en avant.
story-error-private = Les récits d’événements privés restent privés.
share-facts = { $events } événements ont fait leur compte rendu · { $countries } pays
photos-progress-sending = envoi…
photos-progress-sent = envoyée
photos-progress-retrying = la connexion a été coupée, nouvel essai…
photos-progress-failed = n’a pas pu être envoyée ; réessayez plus tard
## Recap
recap-title = Bilan : { $campaign }
recap-draft = Brouillon : seul le personnel voit ce bilan tant qu’il n’est pas publié.
recap-edit = Modifier le bilan
recap-totals = Totaux
recap-total-letters = lettres écrites
recap-total-solidarity = messages de solidarité
recap-total-participants = participants et participantes
recap-total-events = événements
recap-total-countries = pays
recap-unreported = { $count ->
    [one] Un événement n’a pas encore envoyé son bilan : bien d’autres lettres restent à compter.
   *[other] { $count } événements n’ont pas encore envoyé leur bilan : bien d’autres lettres restent à compter.
}
recap-map-world = Lettres par pays
recap-map-world-desc = Une carte du monde où les { $count } pays participants sont teintés selon le nombre de lettres écrites ; le tableau ci-dessous donne les mêmes chiffres.
recap-map-regions = Lettres au { $country }, par région
recap-regions-line = Des événements dans { $with } des { $all } régions : { $country }.
recap-none-yet = Pas encore d’événement : { $regions }.
recap-legend-from = { $count } ou plus
recap-map-credit = Carte : Natural Earth.
recap-letters-count = { $count ->
    [one] une lettre
   *[other] { $count } lettres
}
recap-countries = Tous les pays participants
recap-col-place = Lieu
recap-col-letters = Lettres
recap-col-solidarity = Messages de solidarité
recap-col-events = Événements
recap-col-regions = Régions
recap-col-kind = Type de lieu
recap-country-regions = des événements dans { $with } des { $all } régions
recap-kinds = Où l’on a écrit
recap-cities = Villes en tête
recap-stories = Récits
recap-more-stories = Plus de récits
recap-photos = Photos
recap-download-pdf = Télécharger le bilan à imprimer (PDF)
recap-published-on = Publié le { $date }.
recap-publish = Publier le bilan
recap-unpublish = Le remettre en brouillon
recap-introduction = Introduction
recap-introduction-hint = Affichée en haut du bilan dans cette langue. Markdown : **gras**, *italique*, liens, listes.
recap-map-country = Pays dont les régions sont cartographiées
recap-map-country-none = Aucun
recap-photos-choose = Photos à montrer
recap-photos-hint = Choisissez jusqu’à { $max } photos publiques approuvées.
recap-photos-none = Pas encore de photo publique approuvée.
recap-save = Enregistrer le bilan
recap-error-map-country = Choisissez un pays de la liste.
recap-error-photos = Choisissez des photos de la liste : l’une d’elles n’est plus publique.
recap-error-photos-many = Choisissez au plus { $max } photos.
## Schools
schools-heading = Écoles
recap-heading = Bilan
host-reported = Bilan
host-letters = { $count ->
    [one] une lettre
   *[other] { $count } lettres
}
host-solidarity = { $count ->
    [one] un message de solidarité
   *[other] { $count } messages de solidarité
}
host-participants = { $count ->
    [one] une personne
   *[other] { $count } personnes
}
school-link = Votre école
school-title = Votre école
school-intro = Nommez votre école ou université, pour vous et le personnel de la campagne. Si vous le souhaitez, inscrivez-la sur la liste publique des écoles de la campagne avec les lettres de vos classes, pour que les autres classes de votre région la voient.
school-name = École ou université
school-name-hint = Comme on la connaît, par exemple « École secondaire Jeanne-Mance ».
school-listed = Inscrire notre école et ses lettres sur la liste publique des écoles
school-listed-hint = Seuls le nom de l’école, sa région et ses chiffres sont montrés ; jamais l’adresse de l’événement ni le nom de quiconque. Les événements des pays en mode sécurité ne sont jamais listés.
school-save = Enregistrer
school-saved = Enregistré.
school-error-long = Gardez le nom sous { $max } caractères.
school-error-listed-unnamed = Nommez l’école pour l’inscrire sur la liste.
schools-title = Écoles : { $campaign }
schools-intro = Les écoles et universités qui ont choisi d’être listées, avec les lettres écrites par leurs classes, par région.
schools-every-country = Tous les pays
schools-none = Aucune école n’est encore listée.
