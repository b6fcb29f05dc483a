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

## Dates
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

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
field-choose = Choisir…
field-language = Utilisez en ou fr.
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
signin-title = Se connecter
signin-submit = Se connecter
signin-no-account = Première visite ?
signin-failed = Cette adresse et ce mot de passe ne correspondent à aucun compte.
password-hint = Au moins 8 caractères. Quelques mots sans rapport font un mot de passe solide ; votre gestionnaire de mots de passe peut le remplir.
password-length = Utilisez entre { $min } et { $max } caractères.
password-common = Ce mot de passe est trop courant ; choisissez-en un plus difficile à deviner.
email-taken = Un compte existe déjà avec cette adresse. Connectez-vous plutôt.
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
