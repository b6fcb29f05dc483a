## Layout
skip-to-content = Skip to main content
nav-label = Main
nav-campaigns = Campaigns
nav-staff = Staff
nav-account = Your account
nav-sign-in = Sign in
nav-sign-up = Create an account
nav-sign-out = Sign out
language-label = Language
footer-about = Writeathon — letters that change lives. Write to authorities about people at risk, and send solidarity to the people themselves.

## Dates
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Errors
error-bad-request = This request could not be understood
error-unauthorized = Please sign in
error-forbidden = You are not allowed to do this
error-not-found = Page not found
error-not-found-help = The address may be mistyped, or the page may have been removed.
error-method-not-allowed = This action is not available here
error-timeout = This took too long
error-conflict = This conflicts with something already done
error-too-large = This is too large
error-unsupported-media-type = This kind of content is not accepted here
error-invalid = Some values are not valid
error-rate-limited = Too many attempts
error-internal = Something went wrong on our side
error-internal-help = Nothing you did caused this. Please try again in a moment.
error-reference = Reference: { $id }
error-back-home = Back to the home page
error-csrf = This form has expired. Go back, reload the page and try again.
error-form-malformed = The form could not be read. Reload the page and try again.
error-json = The JSON body could not be read: { $reason }
error-json-content-type = Send the body as JSON with Content-Type: application/json.
error-idempotency-key = The Idempotency-Key header must be 1 to 255 visible characters.
error-idempotency-reused = This Idempotency-Key was already used with a different request.
error-idempotency-in-progress = A request with this Idempotency-Key is still being processed; try again shortly.
rate-limited = Too many attempts. Please wait { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
} and try again.

## Form fields
field-required = This field is required.
field-too-short = Use at least { $min } characters.
field-too-long = Use at most { $max } characters.
field-control-chars = Remove the invisible control characters.
field-single-line = Keep this on one line.
field-slug = Use 2 to 60 lowercase letters, digits and dashes, like w4r-2017.
field-slug-hint = Lowercase letters, digits and dashes, like w4r-2017. Part of the web address; it cannot be changed later.
field-date = Enter a date as YYYY-MM-DD.
field-country = Choose a country from the list.
field-choice = Choose one of the options.
field-slug-label = Web address (slug)
field-country-label = Country
field-choose = Choose…
field-language = Use en or fr.
field-number-range = Enter a whole number from { $min } to { $max }.
field-email-invalid = Enter an email address like name@example.org.
field-display-name = Your name
field-password = Password
field-new-password = Choose a password
field-title = Title
field-intro = Introduction
field-markdown-hint = You can use Markdown: **bold**, lists, links.
field-starts-on = Events from
field-ends-on = Events until
field-case-name = Name of the person or group
field-summary = Their story
field-authority-name = Name of the authority
field-authority-title = Their title
field-authority-address = Postal address
field-salutation = Salutation
field-solidarity = How solidarity messages reach them
field-solidarity-hint = Where to send cards and messages, and what to write.
field-status = Status
field-note = What happened
field-email = Email address
slug-taken = This address is already used; choose another.

## Accounts
signup-title = Create an account
signup-intro = Host an event, report your letters and follow the campaign. It takes a minute.
signup-submit = Create account
signup-have-account = Already have an account?
signin-title = Sign in
signin-submit = Sign in
signin-no-account = New here?
signin-failed = This email and password do not match an account.
password-hint = At least 8 characters. A few unrelated words make a strong password; your password manager can fill this in.
password-length = Use between { $min } and { $max } characters.
password-common = This password is too common; choose one that is harder to guess.
email-taken = An account with this email already exists. Sign in instead.
account-title = Your account
account-role = Role
role-host = Host
role-staff = Staff (all countries)
role-staff-country = Staff for { $country }
role-admin = Administrator
tokens-title = API tokens
tokens-intro = Tokens let your own tools use the Writeathon API on your behalf. Keep them secret, and revoke any you no longer use.
tokens-new-once = Here is your new token. Copy it now: it will not be shown again.
tokens-none = You have no API tokens.
tokens-label = Label
tokens-starts-with = Starts with
tokens-created = Created
tokens-last-used = Last used
tokens-never = Never
tokens-actions = Actions
tokens-revoke = Revoke
tokens-revoke-named = Revoke the token “{ $label }”
tokens-create = Create a token

## Campaigns
home-title = Write for rights
home-intro = Every December, around Human Rights Day, people everywhere write letters that change lives. Find a campaign, read the cases and write.
home-no-campaigns = There is no campaign yet.
campaign-global-day = Global day: { $date }
campaign-open-now = Events open now
campaign-days-until = { $count ->
    [one] One day until the global day
   *[other] { $count } days until the global day
}
campaign-today = Today is the global day: write now!
campaign-was-on = The global day was { $date }.
campaign-global-day-label = Global day
campaign-window-label = Events
campaign-window = from { $from }
campaign-window-to = to { $to }
campaign-deadline-label = Report letters by
campaign-goal-label = Goal
campaign-goal = { $count } letters
campaign-global-day-in-window = The global day must fall within the event window.
campaign-window-too-long = The event window can last at most a year.
campaign-deadline-after-window = The report deadline cannot be before the end of the event window.
cases-title = Cases
cases-intro = Each case is a person or group at risk. Write to the authority, and send a message of solidarity.
cases-none = No cases yet.
case-status-active = Active
case-status-good-news = Good news
case-status-closed = Closed
case-not-translated = This case is not yet available in your language.
case-updates = Updates
case-write-to = Write to
case-salutation = Salutation:
case-sample-letter = Sample letter
case-sample-letter-hint = Use it as a starting point; a letter in your own words counts most.
case-solidarity = Send solidarity

## Staff
staff-title = Staff
staff-new-campaign = New campaign
staff-edit-campaign = Edit this campaign
staff-edit = Edit
staff-add-case = Add a case
staff-edit-case = Edit this case
staff-save = Save
staff-editing-in = Texts in { $language }
staff-edit-in = edit in { $language }
staff-add-update = Add an update
staff-current-status = Current status: { $status }
