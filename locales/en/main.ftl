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
field-date-label = Date
field-choose = Choose…
field-language = Use one of these language codes: { $languages }.
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
signup-sent-title = Check your email
signup-sent = We have sent a message to { $email }. Follow its link to confirm your address, then sign in.
signup-sent-hint = It can take a minute; look in your spam folder too. If this address already has an account, the message says so.
signin-title = Sign in
signin-submit = Sign in
signin-no-account = New here?
signin-failed = This email and password do not match an account.
signin-forgot = Forgot your password?
signin-by-link = Email me a sign-in link
link-reset-title = Reset your password
link-reset-intro = Enter the address of your account: we will email you a link to choose a new password.
link-sign-in-title = Sign in by email
link-sign-in-intro = Enter the address of your account: we will email you a link that signs you in, no password needed.
link-submit = Email me the link
link-sent = If { $email } belongs to an account, a link is on its way.
link-sent-hint = It can take a minute; look in your spam folder too. The link works once.
link-back-to-sign-in = Back to sign in
link-sign-in-confirm = Press the button to sign in on this device.
link-spent-title = This link no longer works
link-spent-text = It was already used, or it expired. Links from our emails work once, for a limited time.
link-ask-again = Ask for a new link
link-go-account = Go to your account
verified-title = Address confirmed
verified-text = Thank you: your email address is confirmed.
reset-title = Choose a new password
reset-intro = Your other sessions will be signed out.
reset-submit = Save the new password
verify-pending = Not confirmed yet: follow the link in the email we sent you.
verify-sent = We sent you a new confirmation link.
verify-resend = Send the link again
unsubscribe-title = Reminders
unsubscribe-on = Reminders are on for this address.
unsubscribe-what = They come the day before events you signed up for and, if you host, after your event until you report. Confirmations and messages about your own events still arrive.
unsubscribe-turn-off = Turn reminders off
unsubscribe-off = Reminders are off for this address: we will send no more.
unsubscribe-turn-on = Turn reminders back on
password-hint = At least 8 characters. A few unrelated words make a strong password; your password manager can fill this in.
password-length = Use between { $min } and { $max } characters.
password-common = This password is too common; choose one that is harder to guess.
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
campaign-find-events = Find an event near you
campaign-host-event = Host an event
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

## Events
nav-host = Your events
form-has-errors = Some answers need another look: see the messages below.
yes = Yes
no = No
field-number = Enter a number.
kind-home = At home
kind-school = School
kind-university = University or college
kind-faith = Church or faith community
kind-community-centre = Community centre
kind-cafe = Café
kind-pub = Pub or bar
kind-workplace = Workplace
kind-library = Library
kind-outdoor = Outdoors
kind-online = Online
kind-other = Somewhere else
event-status-published = Published
event-status-cancelled = Cancelled
event-status-unpublished = Taken down
event-new-title = Register an event
event-new-intro = It takes two minutes. You can change everything later.
event-edit-title = Edit the event
event-register = Register the event
event-field-title = Name of the event
event-field-title-hint = For example: Letters and soup at St. Thomas
event-field-kind = Where it happens
event-field-visibility = Who can come
event-public = Anyone: list it publicly so people can find it and sign up
event-private = Only people I invite: never listed, counted only in the totals
event-field-when = When
event-field-start = Starts at
event-field-end = Ends at
event-field-where = Where
event-field-place = Town or city
event-field-place-hint = Start typing and choose from the suggestions.
event-field-venue = Name of the place
event-field-venue-hint = For example: St. Thomas' Church hall. Not shown publicly for events at home.
event-field-address = Street address
event-field-address-hint = Only you, staff and confirmed attendees see it.
event-more = More details (optional)
event-field-capacity = How many people can come
event-field-capacity-hint = Leave empty for no limit; past it, people join a waiting list.
event-field-accessibility = Accessibility
event-field-accessibility-hint = For example: step-free entrance, accessible toilet, quiet room.
event-field-step-free = Step-free access
event-field-description = Description
event-field-language = Language of the event
event-field-timezone = Time zone
event-field-timezone-hint = Leave as it is to use the time zone of the town.
event-timezone-auto = The town's time zone
event-cancel = Cancel this event
event-cancel-hint = Cancelling keeps the event in your list but takes it off the finder.
event-is-cancelled = This event has been cancelled.
event-is-unpublished = This event has been taken down by the campaign staff.
event-private-badge = Private
event-attending = Attending
event-confirmed-count = { $count ->
    [one] One person is coming
   *[other] { $count } people are coming
}
event-spaces-left = { $count ->
    [0] no places left
    [one] one place left
   *[other] { $count } places left
}
event-waitlist-count = { $count } on the waiting list
event-attendees = Attendees
event-attendees-csv = Download the list (CSV)
event-attendees-none = Nobody has signed up yet.
event-add-to-calendar = Add to my calendar
event-cases = Cases we write for
event-flag = Report this event
event-flag-reason = What is wrong with it?
event-country-scope = You can only move this event to a country you look after; its host can move it anywhere.
event-flag-submit = Send the report
event-flag-thanks = Thank you: the campaign staff will look at your report.
event-datetime = Enter a date and time like 2017-12-10T13:00:00-03:30.
event-time = Enter a time like 13:30.
event-time-skipped = This time does not exist on that day in this time zone (the clocks change); choose another.
event-end-after-start = The end must be after the start.
event-too-long = An event can last at most seven days.
event-outside-window = The event must take place during the campaign, from { $from } to { $to }.
event-region-country = This region is not in the chosen country.
event-latitude = The latitude must be between -90 and 90.
event-longitude = The longitude must be between -180 and 180.
event-coordinates-pair = Give both latitude and longitude, or neither.
event-timezone = Choose a time zone from the list.
event-language = Use a language code of two or three letters, like es or pt.
rsvp-title = Sign up to come
rsvp-full = This event is full: sign up to join the waiting list.
rsvp-email-hint = The address of the event and a link to cancel are sent here. The host does not see it unless you agree below.
rsvp-consent = The host may contact me about this event
rsvp-consent-short = May contact
rsvp-submit = Sign me up
rsvp-confirmed-title = You are coming!
rsvp-confirmed = You are signed up for { $event }.
rsvp-waitlisted-title = You are on the waiting list
rsvp-waitlisted = { $event } is full for now. If a place frees up, you will have it automatically.
rsvp-address-by-email = The address and the details reach you by email.
rsvp-cancel-by-email = Your email holds the link to cancel if your plans change.
rsvp-back = Back to the event
rsvp-manage-title = Your sign-up
rsvp-status-of = Sign-up for { $name }:
rsvp-status-confirmed = coming
rsvp-status-waitlisted = on the waiting list
rsvp-status-cancelled = cancelled
rsvp-cancel = Cancel my sign-up
rsvp-cancelled = Your sign-up is cancelled.
host-title = Your events
host-register-in = Register an event for { $campaign }
host-no-events = You have not registered an event yet.
finder-title = Events — { $campaign }
finder-host-one = Host an event yourself
finder-place = Town or city
finder-use-location = Use my location
finder-location-error = Your location could not be found. Type a town instead.
finder-location-pending = Finding your location…
finder-radius = Within
finder-filters = Filters
finder-text = Words in the title or place
finder-any-kind = Any kind
finder-any-language = Any language
finder-from = From
finder-to = To
finder-sort = Sort by
finder-sort-distance = Distance
finder-sort-date = Date
finder-submit = Find events
finder-map-failed = The detailed map could not be loaded, so it shows country borders only. Every event is in the list.
finder-results = Events
finder-results-near = Events near { $place }
finder-none = No event matches. Try a wider radius or fewer filters — or host one yourself!
finder-next = Next page
finder-feeds = Follow the events:
finder-place-unknown = We do not know this town. Check the spelling or try a bigger town nearby.
finder-near = Give the place as latitude,longitude, like 47.56,-52.71.
finder-radius-range = Choose a distance up to { $max } km.
finder-cursor = This page link has expired; start the search again.
moderation-title = Moderation and safety
moderation-flags = Reported events
moderation-no-flags = No open reports.
moderation-reason = Reason for taking it down (shown to the host)
moderation-unpublish = Take the event down
moderation-dismiss = Dismiss the report
moderation-unpublished = Events taken down
moderation-republish = Put it back
safety-title = Safety mode
safety-intro = In a country under safety mode, host names are never shown and every public location is only the town; venue names are hidden. Use it where hosting an event is risky.
safety-none = No country is under safety mode.
safety-on = On
safety-off = Off

## Report-back and tally
report-title = Report your letters
report-edit-title = Your report
report-intro = For each case, how many letters to the authorities and how many solidarity messages were written? Leave a case empty if nobody wrote on it.
report-letters = Letters to the authority
report-solidarity = Solidarity messages
report-participants = How many people took part
report-highlights = A short story (optional)
report-highlights-hint = A moment from your event, for the campaign's recap. Do not name anyone at risk.
report-submit = Send the report
report-reason = Why you correct this report
report-history = History
report-action-created = reported
report-action-edited = changed
report-action-voided = voided
report-void = Void this report
report-void-reason = Why it is voided
report-is-voided = This report was voided by staff.
report-voided-short = voided
report-flagged = to check
report-list-title = Reports
report-thanks = Thank you! Your letters are in the tally.
report-add = Add a report
report-none = No report yet.
report-open = Open the report
report-closed = Reports are open from the start of the event until the campaign's report deadline.
report-count = Enter a whole number from 0 to { $max }.
report-case-unknown = There is no case “{ $case }” in this campaign.
report-case-twice = The case “{ $case }” is listed twice.
report-too-many-items = Too many cases in one report.
report-voided = This report has been voided and can no longer change.
event-report-letters = Report your letters
event-reports = Reports
tally-title = The tally
tally-letters = letters to authorities
tally-solidarity = solidarity messages
tally-letters-short = letters
tally-solidarity-short = solidarity
tally-participants = participants
tally-participants-label = Participants
tally-events-registered = Events registered
tally-events-reported = Events that reported
tally-countries = Countries
tally-events = Events
tally-sum-note = Sums of every report so far; more come in every day until the report deadline.
tally-by-case = By case
tally-by-country = By country
tally-by-region = By province, state or region
tally-by-kind = By kind of event
tally-embed-hint = Show the live counter on your website:
tally-written-so-far = written so far
tally-see = See the tally
embed-letters = letters and messages written
moderation-reports = Reports to check
moderation-no-reports = No report looks unlikely.
moderation-event = event
report-flag-many-per-participant = many letters per participant
report-flag-edit-jump = a change by ten times or more
data-title = Your data
data-intro = Everything Writeathon stores about you is yours to take away, and your account is yours to delete.
data-privacy-link = What we store, and for how long
data-download = Download my data
data-delete = Delete my account
delete-title = Delete my account
delete-intro = This cannot be undone. When you delete your account:
delete-what-account = your name, email address, password, sessions, API tokens and the mail we sent you are erased, and so are the sign-ups you made with your confirmed address;
delete-what-events = your events that have not happened yet are cancelled, and the people who signed up are told;
delete-what-reports = the letters you reported still count in the tally, without your name, and the street addresses of your events are erased.
delete-confirm-label = Type your email address to confirm
delete-confirm-hint = The address you sign in with.
delete-confirm-mismatch = This is not the address of your account.
delete-submit = Delete my account for good
deleted-title = Your account is deleted
deleted-text = Everything listed is erased. Thank you for writing.
deleted-home = Back to the home page
token-needs-confirmed-email = Confirm your email address first: an API token is given only to an account whose address is confirmed.
privacy-title = Privacy
privacy-in-english = This page is in English.
second-factor-title = Two-step sign-in
second-factor-intro-enrol = Staff and admins sign in with a code from an authenticator app as well as their password. Scan the QR code with the app, or open the link on the phone that holds it, or type the key by hand; then type the six-digit code the app shows.
second-factor-qr-alt = QR code that adds Writeathon to an authenticator app
second-factor-open-link = Open in my authenticator app
second-factor-key = Key to type in by hand:
second-factor-code = Six-digit code (or a recovery code)
second-factor-code-enrol = Six-digit code from the app
second-factor-submit = Confirm
second-factor-on = Two-step sign-in is on for your account.
second-factor-recovery-title = Your recovery codes
second-factor-recovery-intro = Each of these codes signs you in once if you lose your phone. Keep them somewhere safe: they are shown only now.
second-factor-ask-title = Enter your code
second-factor-ask-intro = Open your authenticator app and type the six-digit code for Writeathon.
second-factor-wrong = This code is not right, or was used already. Try the next one.
second-factor-too-many = Too many codes tried. Wait a quarter of an hour, then try again.
second-factor-needed = Your staff role needs two-step sign-in: until it is set up you have a host's rights only.
second-factor-set-up = Set up two-step sign-in
email-taken = An account with this email already exists. Sign in instead.

## Staff console: not reported, exports, audit trail
staff-unreported-title = Not reported yet
staff-unreported-count = { $count ->
    [one] One event ended with no report.
   *[other] { $count } events ended with no report.
}
staff-unreported-none = Every event that has ended has reported. Thank you, hosts!
staff-unreported-place = Place
staff-unreported-ended = Ended
staff-unreported-host = Host
staff-unreported-last-reminder = Last reminder
staff-unreported-never = never
staff-remind-now = Send a reminder now
staff-remind-done-today = Reminded today
staff-remind-sent = The reminder is on its way to the host.
staff-remind-already = This host was already reminded today: one reminder a day is enough.
staff-remind-off = This host has turned reminders off. Reach them another way.
staff-remind-not-due = This event has reported, or has not ended yet: there is nothing to remind its host of.
staff-every-country = Every country
staff-filter = Show
staff-download-csv = Download as CSV
staff-error-country = There is no country with this code.
staff-error-repeated = Give this filter once.
staff-error-unknown-filter = There is no such filter.
staff-error-bom = Use 1 for a byte order mark, 0 for none.
staff-error-number = Use a whole number above zero.
staff-error-too-long = This is too long.
staff-error-subject = Give the kind and the number of the subject together.
staff-error-campaign = There is no campaign with this address.
staff-audit-title = Audit trail
staff-audit-campaign = Campaign (its address)
staff-audit-actor = Who
staff-audit-actor-app = the application
staff-audit-action = Action
staff-audit-subject = What
staff-audit-subject-type = Kind of subject
staff-audit-subject-id = Subject number
staff-audit-when = When (UTC)
staff-audit-before = Before
staff-audit-after = After
staff-audit-none = Nothing was recorded with these filters.
staff-audit-older = Older entries
## Photos
error-unavailable = Try again in a moment
photo-error-empty = { $name }: the file is empty.
photo-error-too-large = { $name } is too large: send photos of at most { $max } MB.
photo-error-type = { $name } is not a JPEG, PNG or WebP photo.
photo-error-heic = { $name } is a HEIC photo, which we cannot read. Send it as JPEG: on an iPhone, choose Settings → Camera → Formats → Most Compatible, or pick the photo in Safari, which sends JPEG.
photo-error-svg = { $name } is a drawing (SVG), not a photo: SVG files can carry scripts, so we do not take them.
photo-error-animated = { $name } is animated: send a still photo.
photo-error-gif = { $name } is a GIF: send a JPEG, PNG or WebP photo.
photo-error-pixels = { $name } has too many pixels: at most { $max } megapixels.
photo-error-small = { $name } is too small to be a photo.
photo-error-corrupt = { $name } could not be read: the file is damaged or incomplete.
photo-error-multipart = The upload could not be read. Choose the photos again and send them.
photo-error-too-many = Send at most { $max } photos at once.
photo-error-no-file = Choose at least one photo.
photo-error-one-file = Send one photo per request.
photo-error-markup = Write plain text, without < or >.
photo-error-consent = Confirm that the people pictured agreed to be shown.
photo-error-event-quota = This event already has the most photos it may hold ({ $max }); { $left } more can be added.
photo-error-account-quota = You have sent the most photos one person may send for this campaign ({ $max }); { $left } more can be added.
photo-error-store = Photos cannot be stored or read just now. Nothing was kept: try again in a few minutes.
photo-error-state = This photo has already been decided on.
photos-heading = Photos
photos-add = Add photos
photos-event-title = Photos of { $event }
report-photos-heading = Photos of your event
report-photos-intro = Share the day: choose photos from your phone or computer. Staff look at each one before it is shown.
report-photos-sent = See the photos you sent
photos-added = { $count ->
    [one] One photo was sent. Staff will look at it before it is shown.
   *[other] { $count } photos were sent. Staff will look at them before they are shown.
}
photos-files = Photos
photos-files-hint = JPEG, PNG or WebP, at most { $max } MB each. You can choose several.
photos-caption = Caption
photos-caption-hint = At most 300 characters. It is read out to people who cannot see the picture.
photos-consent = The people pictured agreed to be shown.
photos-minors = Children or young people under 18 are pictured
photos-minors-hint = Staff may use these photos in reports to the organisation, but they are never shown to the public.
photos-minors-short = minors pictured
photos-send = Send photos
photos-sent = Photos sent
photos-none-yet = No photos yet.
photos-reason = Reason:
photos-alt = Text read instead of the picture
photos-alt-save = Save the text
photo-status-pending = Waiting for staff
photo-status-approved = Shown
photo-status-rejected = Not shown
photo-status-removed = Taken down
gallery-title = Photos: { $campaign }
gallery-country = Country
gallery-region = Region code
gallery-kind = Kind of event
gallery-any = Any
gallery-filter = Show
gallery-empty = No photos to show yet.
gallery-more = More photos
photo-queue-title = Photos to review
photo-queue-pending = Waiting
photo-queue-empty = No photos are waiting.
photo-queue-approve-ticked = Approve the ticked photos
photo-queue-tick = Tick
photo-queue-approve = Approve
photo-queue-reason = Reason (the host reads it)
photo-queue-reject = Reject
photo-queue-approved = Shown
photo-queue-take-down = Take down
## Event kits (printed PDFs)
kit-author = Writeathon
kit-language = Language: { $language }
kit-language-unknown = another language
kit-fallback-note = This case is not yet written in { $asked }: it is printed here in { $shown }.
kit-title-campaign = { $campaign }: kit to print
kit-title-letter = Letter for { $name }
kit-title-sheet = Case sheet: { $name }
kit-title-event = { $title }: event kit
kit-photo = Photo
kit-write-to = Write to
kit-ask = The sample letter in this kit says what to ask for. Write in your own words if you can: a personal letter counts most.
kit-your-address = Your name and address
kit-signature = Your signature and name
kit-letter-subject = Concerning: { $name }
kit-salutation-default = Dear Sir or Madam,
kit-address-to-follow = Address to follow: check the case page before you post this letter.
kit-postage = International letter to { $country }: ask your post office for the postage.
kit-card-front = In solidarity with
kit-card-line = You are not alone.
kit-card-idea = What to write
kit-card-idea-default = Write a few warm words of hope and support. Keep it short, and do not write about the case or the officials involved.
kit-fold = fold
kit-signin-title = Sign-in sheet
kit-privacy = Your email is optional: leave it only if you want to hear from the host about this event. This sheet stays with the host; it is not put online or shared.
kit-col-name = Name
kit-col-email = Email (optional)
kit-col-letters = Letters written
kit-qr-report = Hosts: report the letters written
kit-qr-event = The event page: details and sign-up
kit-poster-invite = Come and write letters that change lives. Everyone is welcome.
kit-place-private = The address is given to the people who sign up.
kit-lang-unknown = This language is not available for the kits. Choose one of: { $languages }.
kit-paper-unknown = Choose the paper size a4 or letter.
kit-poster-unknown = Choose poster=a3 for an A3 poster, or leave it out.
kit-download-letter = Letter to print (PDF)
kit-download-sheet = Case sheet to print (PDF)
kit-download-campaign = Kit to print: every case's sheet, letter and card (PDF)
kit-download-event = Event kit (PDF)
kit-download-event-a3 = Event kit with an A3 poster (PDF)
kit-download-event-help = Every case's sheet, letter and card, a sign-in sheet and a poster with QR codes to your event page and report form.
staff-dashboard-title = Dashboard
staff-dashboard-events = Events registered
staff-dashboard-reported-events = Events that reported
staff-dashboard-reports = Reports in
staff-dashboard-letters = Letters
staff-dashboard-solidarity = Solidarity messages
staff-dashboard-participants = Participants
staff-dashboard-rsvps = RSVPs
staff-dashboard-to-do = Waiting for you
staff-dashboard-unreported = { $count ->
    [one] One event ended with no report
   *[other] { $count } events ended with no report
}
staff-dashboard-open-flags = { $count ->
    [one] One event flagged by visitors
   *[other] { $count } events flagged by visitors
}
staff-dashboard-flagged-reports = { $count ->
    [one] One report that looks unlikely
   *[other] { $count } reports that look unlikely
}
staff-dashboard-failed-mail = { $count ->
    [one] One message that could not be delivered
   *[other] { $count } messages that could not be delivered
}
staff-dashboard-events-chart = Events registered, day by day
staff-dashboard-letters-chart = Letters reported, day by day
staff-dashboard-chart-most = The busiest day: { $count }.
staff-dashboard-nothing-yet = Nothing yet.
staff-dashboard-as-table = The same numbers as a table
staff-dashboard-day = Day
staff-dashboard-that-day = That day
staff-dashboard-so-far = So far
staff-dashboard-by-region = Events per region
staff-dashboard-by-country = Events per country
staff-dashboard-no-region = No region given
staff-dashboard-every-region = Every region has an event.
staff-dashboard-none-yet = { $count ->
    [one] One region has no event yet:
   *[other] { $count } regions have no event yet:
}
staff-dashboard-exports = Download
staff-export-events = Events (CSV)
staff-export-rsvps = RSVPs (CSV)
staff-export-reports = Reports, one row per case (CSV)
staff-export-for-spreadsheets = for spreadsheet programs
staff-dashboard-link = Dashboard

## Good news
rsvp-notify = Tell me what happens: good news about the cases, by mail
staff-good-news-notify = Mail this good news to the hosts who wrote for this case and the attendees who asked to hear what happens
campaign-good-news = Good news

## Online actions
action-title = Act now, online
action-intro = Add your name: it takes a minute. We send you one email to confirm, and your action counts once you do.
action-field-name = Your name
action-email-hint = Only to confirm your action (and, if you ask, to tell you what happens). It is never shown or given to the authority.
action-add-message = Add a personal message (optional)
action-field-message = Your message to the authority
action-message-hint = Up to 1,000 characters. It goes with your name on the list we deliver.
action-updates = Tell me what happens in this case
action-submit = Add my name
action-all-cases = Act on several cases at once
action-choose-cases = The cases you act for
action-choose-case = Choose at least one case.
action-closed = This campaign no longer takes online actions. Thank you for coming.
action-slow-down = Many actions came from your connection just now. Please try again in a moment.
action-challenge-working = Your browser is doing a short check before sending…
action-challenge-noscript = Many actions are arriving right now: please turn on JavaScript for a short check, or try again in a few minutes.
action-check-email-title = Check your email
action-check-email = We have sent you an email. Open the link in it and press the button to confirm: your action counts from then on. If nothing arrives, look in your spam folder.
action-confirm-title = Confirm your action
action-confirm-intro = { $name }, press the button to count your action for:
action-confirm-button = Confirm my action
action-confirmed = Thank you: your action is counted.
action-already-counted = This link was used already: your action is counted.
action-link-expired = This link has expired: unconfirmed actions are deleted after 30 days. You can act again from the case's page.
action-link-unknown = This link is not valid. Please use the link from your email exactly as it is.
action-back-home = Back to the campaigns
action-staff-title = Online actions
action-staff-cases = Lists for the authorities
action-staff-counted = { $count ->
    [one] One confirmed action
   *[other] { $count } confirmed actions
}
action-staff-csv = List (CSV)
action-staff-pdf = Petition (PDF)
action-staff-deliveries = Deliveries
action-staff-delivered-on = Delivered on
action-staff-method = How (post, hand, email…)
action-staff-actions = Actions
action-staff-by = Recorded by
action-staff-note = Note
action-staff-record-delivery = Record a delivery
action-staff-record = Record
action-staff-clusters = Suspicious clusters
action-staff-clusters-hint = Groups of actions from one network, with one message, or in one minute from one network. Invalidating takes their actions out of the tally; the senders are not told.
action-staff-no-clusters = Nothing suspicious.
action-staff-kind = Kind
action-staff-key = What they share
action-staff-confirmed = Confirmed
action-staff-disposable = Throwaway addresses
action-staff-when = From – to
action-staff-invalidate = Invalidate
action-cluster-network = Same network
action-cluster-message = Same message
action-cluster-burst = Burst
kit-petition-heading = Petition for { $case }
kit-petition-to = To { $authority }
kit-petition-count = { $count ->
    [one] One person from { $countries } country signed online.
   *[other] { $count } people from { $countries ->
        [one] one country
       *[other] { $countries } countries
    } signed online.
}
kit-petition-col-country = Country
tally-online = online actions, confirmed
tally-online-short = Online
## Webhooks (administrators)
webhooks-title = Webhooks
webhooks-intro = Tell your other systems (a CRM, a chat channel) about new events, RSVPs, reports and online actions. Each message is signed per Standard Webhooks and retried for a day until your server answers with a 2xx.
webhooks-none = No webhook yet.
webhook-title = Webhook
webhook-url = Address (URL)
webhook-url-hint = An http or https address on the public Internet.
webhook-description = Description
webhook-events = What to send
webhook-state = State
webhook-active = Active
webhook-paused = Paused
webhook-add = Add a webhook
webhook-private-allowed = This server lets webhooks reach private and local addresses.
webhook-secret-once = The signing secret, shown only this once. Copy it into the receiving system now:
webhook-counts = Deliveries
webhook-status-queued = queued
webhook-status-sent = delivered
webhook-status-failed = failed
webhook-send-test = Send a test
webhook-rotate = New secret
webhook-settings = Settings
webhook-save = Save
webhook-deliveries = Recent deliveries
webhook-deliveries-none = Nothing sent yet.
webhook-delivery-type = Message
webhook-delivery-status = Status
webhook-delivery-attempts = Attempts
webhook-delivery-last = Last attempt
webhook-delivery-response = Answer
webhook-retry = Try again
webhook-delete = Delete this webhook
webhook-created = Webhook added.
webhook-saved = Saved.
webhook-test-queued = A test message is on its way.
webhook-retry-queued = The delivery will be tried again.
webhook-rotated = A new secret was made. The old one also signs messages for the next 24 hours.
webhook-error-url-missing = Give the address to send to.
webhook-error-url-long = This address is too long.
webhook-error-url = This is not a web address.
webhook-error-url-scheme = Only http and https addresses are allowed.
webhook-error-url-credentials = Put no user name or password in the address.
webhook-error-url-private = This address is on a private or local network, which webhooks may not reach.
webhook-error-description = Keep the description under 200 characters.
webhook-error-events = Choose at least one thing to send.
webhook-error-events-unknown = One of these is not a kind of message we send.
webhook-error-not-failed = Only a failed delivery can be tried again.
webhook-error-status = The status is one of queued, sent or failed.
webhook-error-limit = The limit is between 1 and 500.
## Stories
stories-heading = Stories
stories-title = Stories: { $campaign }
stories-intro = What hosts told us about their write-a-thons, chosen by the campaign's staff.
stories-empty = No stories to show yet.
stories-feature = Feature this story
stories-unfeature = Stop featuring
stories-candidates = Stories you could feature
stories-candidates-hint = Hosts' words from public events in your countries; only featured stories are public.
stories-candidates-empty = No other stories with words yet.
story-error-voided = This report no longer counts: its story cannot be featured.
story-error-empty = This report has no story to feature.
story-error-private = Stories of private events stay private.
share-facts = { $events } events reported · { $countries } countries
photos-progress-sending = sending…
photos-progress-sent = sent
photos-progress-retrying = the connection dropped, trying again…
photos-progress-failed = could not be sent; try again later
## Recap
recap-title = Recap: { $campaign }
recap-draft = Draft: only staff can see this recap until it is published.
recap-edit = Edit the recap
recap-totals = Totals
recap-total-letters = letters written
recap-total-solidarity = solidarity messages
recap-total-participants = participants
recap-total-events = events
recap-total-countries = countries
recap-unreported = { $count ->
    [one] One event has not reported yet: many more letters are yet to be counted.
   *[other] { $count } events have not reported yet: many more letters are yet to be counted.
}
recap-map-world = Letters by country
recap-map-world-desc = A map of the world with the { $count } countries that took part shaded by the letters they wrote; the table below gives the same numbers.
recap-map-regions = Letters in { $country }, by region
recap-regions-line = Events in { $with } of the { $all } regions of { $country }.
recap-none-yet = No event yet in: { $regions }.
recap-legend-from = { $count } or more
recap-map-credit = Map: Natural Earth.
recap-letters-count = { $count ->
    [one] one letter
   *[other] { $count } letters
}
recap-countries = Every country that took part
recap-col-place = Place
recap-col-letters = Letters
recap-col-solidarity = Solidarity messages
recap-col-events = Events
recap-col-regions = Regions
recap-col-kind = Kind of place
recap-country-regions = events in { $with } of { $all } regions
recap-kinds = Where people wrote
recap-cities = Top towns
recap-stories = Stories
recap-more-stories = More stories
recap-photos = Photos
recap-download-pdf = Download the recap to print (PDF)
recap-published-on = Published on { $date }.
recap-publish = Publish the recap
recap-unpublish = Take it back to a draft
recap-introduction = Introduction
recap-introduction-hint = Shown at the top of the recap in this language. Markdown: **bold**, *italic*, links, lists.
recap-map-country = Country whose regions are mapped
recap-map-country-none = None
recap-photos-choose = Photos to show
recap-photos-hint = Choose up to { $max } approved public photos.
recap-photos-none = No approved public photos yet.
recap-save = Save the recap
recap-error-map-country = Choose a country from the list.
recap-error-photos = Choose photos from the list: one of them is no longer public.
recap-error-photos-many = Choose at most { $max } photos.
## Schools
schools-heading = Schools
recap-heading = Recap
host-reported = Reported
host-letters = { $count ->
    [one] one letter
   *[other] { $count } letters
}
host-solidarity = { $count ->
    [one] one solidarity message
   *[other] { $count } solidarity messages
}
host-participants = { $count ->
    [one] one person
   *[other] { $count } people
}
school-link = Your school
school-title = Your school
school-intro = Name your school or university, for you and the campaign's staff. If you like, list it on the campaign's public schools list with the letters your classes write, so other classes in your region can see it.
school-name = School or university
school-name-hint = As people know it, e.g. "Lincoln High School".
school-listed = List our school and its letters on the public schools list
school-listed-hint = Only the school's name, its region and its numbers are shown; never the event's address or anyone's name. Events in countries under safety mode are never listed.
school-save = Save
school-saved = Saved.
school-error-long = Keep the name under { $max } characters.
school-error-listed-unnamed = Name the school to list it.
schools-title = Schools: { $campaign }
schools-intro = Schools and universities that chose to be listed, with the letters their classes wrote, by region.
schools-every-country = Every country
schools-none = No school is listed yet.
