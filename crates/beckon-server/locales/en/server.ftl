# beckon-server's messages in English: the emails, the text messages and the phone pages.
# English is the reference: every other language has exactly these messages, with the same
# variables (TRANSLATING.md). $app is the operator's app name; $address an email address or
# phone number; $number a link's number and $code the email's code, both always shown in
# ASCII, left to right.

## Where a request came from ("Is this you?")

origin-where = Where
origin-address = Address
origin-device = Device
origin-when = When
place-this-computer = On this computer (the server's own)
place-local-network = On your local network
place-near = Near { $place } (approximate)
place-unknown = Unknown
address-unknown = Not known
device-unknown = Did not say
device-claimed = “{ $device }” (as it says; not checked)
# $when is a date and time as the language writes it, such as Dec 4, 2026, 5:00 PM.
when-utc = { $when } UTC
ago-just-now = just now
ago-minutes = { $count ->
    [one] 1 minute ago
   *[other] { $count } minutes ago
}
ago-hours = { $count ->
    [one] 1 hour ago
   *[other] { $count } hours ago
}
ago-days = { $count ->
    [one] 1 day ago
   *[other] { $count } days ago
}

## The sign-in email and text message

mail-sign-in-subject = Your { $app } sign-in link
mail-confirm-subject = Confirm your new email address for { $app }
mail-sign-in-intro = Someone asked to sign in to { $app } as { $address }.
mail-confirm-intro = Someone asked to use this address for { $app } as { $address }.
is-this-you = Is this you?
mail-ask-numbered = Tap the link with the number shown on your screen:
mail-ask-one = Tap the link to sign in:
mail-confirm-ask-numbered = Tap the link with the number shown on your screen to confirm it:
mail-confirm-ask-one = Tap the link to confirm it:
mail-link-sign-in = Sign in
mail-link-confirm = Confirm
mail-code-intro = No link works? Type this code on the screen where the sign-in started:
mail-code-warning = Type it only there, and never tell it to anyone: nobody will ever need to ask you for it.
mail-footer = { $links ->
    [one] The link expires in { $minutes } minutes.
   *[other] The links expire in { $minutes } minutes.
} If this wasn't you, ignore this message.
sms-sign-in = { $app } sign-in
sms-confirm = { $app }: confirm this number
sms-sign-in-subject = { $app } sign-in (SMS)
sms-confirm-subject = { $app } number confirmation (SMS)
sms-code = Or type code { $code } where you started. Tell no one.
sms-expires = Expires in { $minutes } min. Not you? Ignore this.
merge-keep-other = Confirming merges two accounts: the account of { $requester } is merged into the account that signs in with { $address }, which stays; the account of { $requester } is deleted.
merge-keep-mine = Confirming merges two accounts: the account that signs in with { $address } is merged into the account of { $requester }, which stays; from then on { $address } signs in to the account of { $requester }, and the other account is deleted.

## "New sign-in to <app>"

notice-subject = New sign-in to { $app }
notice-sms-subject = New sign-in to { $app } (SMS)
notice-sms = { $app }: new sign-in { $when }. Not you? Sign that device out: { $url }
notice-intro = { $address } was just signed in to { $app }. If that was you, there is nothing to do.
the-sign-in = The sign-in
notice-sign-out = This wasn't me: sign that device out
notice-footer = The sign-in needed a tap on a link sent to this address. If you did not tap one, someone else may read your email: change its password too.

## After a "No": sign-ins paused

paused-subject = Sign-ins to { $app } paused after your “No”
paused-sms-subject = { $app } sign-ins paused (SMS)
paused-sms-declined = { $app }: you said No to a sign-in. No new sign-in texts for { $minutes } min. It was you? Allow them again: { $url }
paused-sms-signed-out = { $app }: you signed a device out. No new sign-in texts for { $minutes } min. It was you? Allow them again: { $url }
paused-intro-declined = You answered “No, this wasn't me” to a request to sign in to { $app } as { $address }.
paused-intro-signed-out = You signed out a device that had signed in to { $app } as { $address }, and asked to pause sign-ins.
paused-heading-declined = The refused request
paused-heading-signed-out = The signed-out sign-in
paused-what = So that nobody can keep asking, every open request to this address was ended, and no new sign-in links will be sent to it for { $minutes } minutes.
allow-again = It was me: allow sign-ins again
paused-footer = If it was you after all, open the link above to allow sign-ins again. Otherwise there is nothing to do: nobody was signed in.

## The confirm page

confirm-title-sign-in = Sign in to { $app }?
confirm-title-update = Use this address for { $app }?
confirm-link-number = This is link number
confirm-only-if = Confirm only if your computer shows { $number }. If it shows another number, go back to the email and tap that link instead.
confirm-yes-sign-in = Yes, sign me in
confirm-yes-update = Yes, use this address
confirm-who-sign-in = Signing in as
confirm-who-update = New address
no-not-me = No, this wasn't me
confirm-if-not-you = If you did not ask for this, tap “No”: the computer that asked is told, and every link in this email stops working. Nothing happens without a tap.

## After an answer

declined-title = Sign-in declined
declined-heading = Declined: nobody was signed in
declined-text = All the links in this email stopped working, and your computer was told. Nobody can get in without a tap on your phone.
declined-note = If you did not ask to sign in, someone typed your address: every sign-in link sent to it stopped working.
declined-note-paused = If you did not ask to sign in, someone typed your address: every sign-in link sent to it stopped working, and no new ones are sent for { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}. We emailed you a way to allow them again if this was you after all.
waiting-title = Waiting for your computer
waiting-heading = Waiting for your computer…
waiting-sign-in = You confirmed. Your computer signs in as soon as it hears; keep this page open to see it happen.
waiting-update = You confirmed the address. Your computer shows it as soon as it hears.
signed-in-title = Signed in
signed-in-heading = Your computer is signed in
close-page = You can close this page.
confirmed-title = Address confirmed
confirmed-heading = Your computer shows the new address
missed-title = Your computer did not sign in
missed-heading = Your computer did not pick this up in time
missed-text = You confirmed, but the computer that asked stopped waiting before it heard. Nobody was signed in. Start again on your computer.
wrong-title = Wrong number
wrong-heading = Not this one
wrong-ended = This is link { $number }, but the computer that asked shows a different number. This sign-in request has ended and its links no longer work: if it was you, start again on your computer and tap the link with the number it shows.
nothing-signed-in = Nothing was signed in.
wrong-kept = This is link { $number }, but your computer shows a different number. Go back to the email and tap the link with the number on your screen.
wrong-links-work = Nothing was signed in; your links still work.
wrong-no-number-heading = No screen shows a number?
wrong-no-number = Then someone else asked to sign in with your address. Tap “No”: their request ends, and no new sign-in email is sent to you for a while.
magic-elsewhere-title = Open this link in the app
magic-elsewhere-text = This sign-in link signs in the device that opens it, through the app that asked for it. This page cannot do that, so nothing happened here.

## Links that cannot be used

expired-open-title = Sign-in expired
expired-open-heading = This sign-in expired while the page was open
expired-open-text = Nothing was signed in. Start the sign-in again on your computer: a new email will arrive, and its links work for a few minutes.
expired-title = Link expired
expired-heading = This link has expired
expired-text = Sign-in links last a few minutes. Start again on your computer and a new email will arrive.
invalid-title = Link not valid
invalid-heading = This link is no longer valid
invalid-text = It was used already, or it expired. If you are not signed in yet, start again on your computer.
disabled-title = Account disabled
disabled-heading = This account is disabled
disabled-text = Nobody was signed in. An administrator disabled this account; ask them to enable it again.
too-many-title = Too many tries
too-many-text = This address or network asked too often. Try the link again in { $seconds } seconds.
refused-title = Cannot sign in
refused-text = This link cannot be used (error { $code }). Start again on your computer.
failed-title = Something went wrong
failed-text = The server could not check this link. Try again in a moment.
notice-invalid-text = The sign-in it was about has ended. To sign every device out, use the app's own sign-out, or ask whoever runs your sign-in server.
no-pause-title = No pause to lift
no-pause-heading = Sign-ins are not paused
no-pause-text = The pause has ended or was lifted already: sign-in links are sent again. Start the sign-in on your computer.

## Lifting a pause, signing a device out

allow-title = Allow sign-ins again?
allow-text = After a “No, this wasn't me”, no sign-in links are sent to { $address } for { $minutes ->
    [one] 1 more minute
   *[other] { $minutes } more minutes
}. If the sign-in you refused was you after all, allow them again now.
allow-leave = If the sign-in you refused was not you, leave this page: the pause ends by itself, and nobody was signed in.
allowed-title = Sign-ins allowed again
allowed-text = Start the sign-in again on your computer: a new email will arrive.
signout-title = Sign that device out?
signout-text = This signs out the device that signed in to { $app } as { $address }. Your other devices stay signed in.
signout-button = Sign that device out
signout-leave = If it was you, leave this page: nothing changes until you press the button.
signout-pause-button = Also pause sign-ins for { $minutes } minutes
signout-pause-about = Pausing stops new sign-in emails to this address for a while, so nobody can keep asking. We will email you a way to allow them again.
signout-already-title = Signed out already
signout-already-heading = That device is signed out already
signout-again = It has to sign in again, which needs a tap on a link sent to you.
signout-paused-title = Sign-ins paused
signout-paused-heading = Signed out, and sign-ins paused
signout-paused-text = No new sign-in emails go to this address for { $minutes } minutes. We emailed you a way to allow them again.
signout-paused-already = Sign-in emails to this address are paused already.
signout-done-title = Signed out
signout-done-heading = That device is signed out
signout-done-text = It has to sign in again, which needs a tap on a link sent to you. If you did not ask for any sign-in, someone else may read your email: change its password.
