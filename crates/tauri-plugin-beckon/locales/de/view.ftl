# The sign-in view's messages in German (Deutsch).
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/view.ftl.

## The app, when it gives no name

this-app = diese App

## Errors (one per code the view knows)

error-invalid-email = Diese E-Mail-Adresse wurde abgelehnt. Prüfen Sie sie und versuchen Sie es erneut.
error-unknown-user = Noch kein Konto verwendet diese E-Mail. Legen Sie eines an oder prüfen Sie die Adresse.
error-user-exists = Ein Konto verwendet diese E-Mail bereits. Melden Sie sich stattdessen an.
error-offline-server = Der Anmeldeserver unter { $server } ist nicht erreichbar. Läuft beckon-server?
error-offline = Der Anmeldeserver ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
error-expired = Der Link ist abgelaufen, bevor er bestätigt wurde. Senden Sie einen neuen.
error-declined = Auf Ihrem Telefon abgelehnt. Niemand wurde angemeldet; die Links funktionieren nicht mehr.
error-disabled = Dieses Konto ist deaktiviert. Bitten Sie den Betreiber Ihres Anmeldeservers, es zu aktivieren.
error-rate-limited = Zu viele Versuche. Versuchen Sie es in einer Minute erneut.
error-rate-limited-seconds = Zu viele Versuche. Versuchen Sie es in { $seconds } Sekunden erneut.
error-rate-limited-minutes = Zu viele Versuche. Versuchen Sie es in { $minutes } Minuten erneut.
error-paused = Jemand hat eine Anmeldeanfrage für diese Adresse mit „Nein, das war ich nicht“ beantwortet, daher sind Anmelde-E-Mails an sie eine Weile pausiert. Wenn Sie das versehentlich waren, enthält die E-Mail dazu eine Schaltfläche, um Anmeldungen wieder zu erlauben.
error-paused-seconds = Jemand hat eine Anmeldeanfrage für diese Adresse mit „Nein, das war ich nicht“ beantwortet, daher sind Anmelde-E-Mails an sie noch { $seconds } Sekunden pausiert. Wenn Sie das versehentlich waren, enthält die E-Mail dazu eine Schaltfläche, um Anmeldungen wieder zu erlauben.
error-paused-minutes = Jemand hat eine Anmeldeanfrage für diese Adresse mit „Nein, das war ich nicht“ beantwortet, daher sind Anmelde-E-Mails an sie noch { $minutes } Minuten pausiert. Wenn Sie das versehentlich waren, enthält die E-Mail dazu eine Schaltfläche, um Anmeldungen wieder zu erlauben.
error-wrong-code = Das ist nicht der Code aus der E-Mail. { $tries ->
    [one] Noch 1 Versuch, bevor diese Anmeldung endet.
   *[other] Noch { $tries } Versuche, bevor diese Anmeldung endet.
}
error-not-waiting = Keine Anmeldung wartet auf einen Code. Beginnen Sie neu.
error-unknown-project = Der Server kennt die Projekt-ID dieser App nicht. Prüfen Sie BECKON_PROJECT_ID.
error-no-project = { $server } hat nicht gesagt, welches Projekt er bedient ({ $detail }). Setzen Sie BECKON_PROJECT_ID.
error-no-server = Kein Server eingestellt: Setzen Sie BECKON_BASE_URL oder BECKON_PROJECT_ID.
error-plain-http = { $url } ist einfaches http:// auf einem anderen Rechner: Ihre Anmeldung ginge unverschlüsselt durchs Netz, wo jeder unterwegs sie abgreifen könnte. Verwenden Sie seine https://-Adresse oder einen Server auf diesem Computer. In einem Netz, dem Sie vertrauen, starten Sie { $app } mit BECKON_BASE_URL={ $url } und BECKON_UNSAFE_PLAIN_HTTP=1, um ihn trotzdem zu verwenden.
error-bad-server-url = „{ $input }“ ist keine Serveradresse ({ $problem }); zum Beispiel { $example }.
url-not-a-url = sie lässt sich nicht als URL lesen
url-not-http = sie muss mit http:// oder https:// beginnen
url-no-host = sie nennt keinen Host
url-query-or-fragment = sie darf keine ?- oder #-Teile haben
error-bad-project-id = „{ $input }“ ist keine Descope-Projekt-ID: Diese beginnen mit P und haben 28 Buchstaben und Ziffern (32 mit Region). Sie finden Ihre unter Projekteinstellungen in der Descope-Konsole.
error-bad-language = „{ $input }“ ist kein Sprachcode wie es oder es-MX.
error-settings-not-saved = Die Einstellungen konnten nicht in { $path } gespeichert werden: { $detail }
error-settings-not-kept = { $app } speichert keine Servereinstellungen: Der Server ist in der App festgelegt.
error-settings-from-environment = BECKON_BASE_URL oder BECKON_PROJECT_ID ist für diesen Start gesetzt, daher lässt sich der Server hier nicht ändern. Starten Sie { $app } ohne sie, um die Einstellungen zu nutzen.
error-invalid-session = Die Antwort des Servers ließ sich nicht prüfen, daher wurden Sie nicht angemeldet. Versuchen Sie es erneut.
error-wrong-account = Dieser Link meldet bei einem anderen Konto an, nicht bei { $email }, daher wurde er nicht verwendet. Öffnen Sie den Link aus der E-Mail an { $email }.
error-no-deep-link = Diese App kann keine Anmeldelinks aus E-Mails öffnen. Melden Sie sich stattdessen mit der Zahl an.
error-signed-out = Sie sind nicht angemeldet.
error-server-code = Der Anmeldeserver hat abgelehnt ({ $code }). Versuchen Sie es erneut.
error-server = Bei der Verbindung mit dem Anmeldeserver ist etwas schiefgelaufen. Versuchen Sie es erneut.

## Notes on a screen

notice-session-ended = Ihre Sitzung ist beendet (abgelaufen oder abgemeldet). Melden Sie sich erneut an.
notice-signed-out-elsewhere = Sie wurden abgemeldet: Die Sitzung endete auf dem Server (anderswo abgemeldet oder abgelaufen). Melden Sie sich erneut an.
notice-no-keyring = Dieser Computer kann Sie nicht angemeldet halten ({ $detail }); Sie melden sich bei jedem Öffnen von { $app } an.
notice-server-not-told-everywhere = Auf diesem Computer abgemeldet. Der Server konnte nicht angewiesen werden, Ihre anderen Sitzungen zu beenden ({ $why }); sie enden, wenn sie ablaufen.
notice-server-not-told = Auf diesem Computer abgemeldet. Der Server konnte nicht informiert werden ({ $why }); die Sitzung endet dort, wenn sie abläuft.
notice-keyring-not-cleared = Abgemeldet, aber der Schlüsselbundeintrag konnte nicht entfernt werden ({ $detail }).
notice-link-ignored = Ein Anmeldelink wurde geöffnet, aber ignoriert: { $why }.
notice-email-changed = Ihre E-Mail ist jetzt { $email }.
ignored-not-waiting = { $app } hat nicht auf einen Anmeldelink aus der E-Mail dieses Computers gewartet
ignored-not-a-link = es ist kein Link
ignored-not-a-sign-in-link = es ist kein Anmeldelink für { $app }
ignored-too-long = der Link ist zu lang
ignored-not-one-token = er enthält nicht genau ein Anmeldetoken
ignored-malformed-token = sein Anmeldetoken ist fehlerhaft

## The email screen

mode-legend = Konto
mode-sign-up-or-in = Anmelden oder registrieren
mode-sign-in = Anmelden
mode-sign-up = Registrieren
offer-sign-up = Konto anlegen
offer-sign-in = Stattdessen anmelden
heading-sign-up = Konto anlegen
heading-sign-in = Anmelden
email-lead = Wir senden Ihnen drei nummerierte Links. Tippen Sie auf den mit der Zahl, die dieses Fenster zeigt.
email-label = E-Mail
email-placeholder = sie@beispiel.de
email-invalid = Geben Sie eine E-Mail-Adresse wie sie@beispiel.de ein.
send-link = Link senden
sending = Wird gesendet…
retry-new-link = Neuen Link senden
retry-start-again = Neu beginnen
retry-try-again = Erneut versuchen
retry-in = Erneut in { $time }
retry-in-seconds = Erneut in { $seconds } s
server-settings = Servereinstellungen

## Waiting for the tap

wait-lead = Öffnen Sie die E-Mail auf Ihrem Telefon und tippen Sie auf den Link mit der Nummer
link-number = Link Nummer { $number }
sent-to = Gesendet an { $email }
expires-in = Der Link läuft ab in { $time }
reconnecting = Server nicht erreichbar – neue Verbindung…
waiting-for-tap = Warten auf Ihr Antippen…
cancel = Abbrechen
send-new-links = Neue Links senden
different-email = Andere E-Mail verwenden
reading-here = Lesen Sie E-Mails auf diesem Computer?
help-heading = Noch keine E-Mail?
help-text = Sie kommt vom Anmeldeserver von { $app } mit dem Betreff „Ihr Anmeldelink für { $app }“. Sehen Sie auch im Spam- oder Junk-Ordner nach; manche E-Mails brauchen ein paar Minuten. Sie können neue Links senden oder unten den Code aus der E-Mail eingeben.
code-show = Stattdessen den Code eingeben
code-label = Der Code in der E-Mail, unter den Links
code-submit = Code bestätigen
code-hint = Geben Sie ihn nur hier ein, wo Sie die Anmeldung begonnen haben. Nennen Sie ihn niemandem.

## Signed in

sign-out = Abmelden
welcome = Willkommen, { $name }
signed-in = Sie sind angemeldet
signed-in-as = Angemeldet als { $email }
signed-in-since-today = Auf diesem Computer angemeldet seit { $time }
signed-in-since = Auf diesem Computer angemeldet seit { $day }, { $time }
not-remembered = Dieser Computer hat keinen Schlüsselbund, den { $app } nutzen kann, daher werden Sie nächstes Mal erneut nach der Anmeldung gefragt.
change-email = E-Mail ändern
change-label = Neue E-Mail
change-placeholder = neu@beispiel.de
change-send = Links senden
change-keep = Meine E-Mail behalten
change-same = Das ist bereits Ihre E-Mail.
change-heading = Bestätigen Sie Ihre neue Adresse
change-tap = Tippen Sie auf den Link mit der Nummer
change-sent-to = in der E-Mail an { $email }
change-cancel = Änderung abbrechen

## A magic link, and signing back in

magic-heading = Sehen Sie hier in Ihre E-Mails
magic-sent-to = Wir haben einen Anmeldelink an { $address } gesendet.
magic-lead = Öffnen Sie ihn auf diesem Computer und klicken Sie auf den Link: Er öffnet { $app } und meldet Sie an.
use-phone = Stattdessen mein Telefon verwenden
restoring = Sie werden wieder angemeldet…
use-another = Mit einer anderen E-Mail anmelden

## Said to screen readers

announce-reconnecting = Server nicht erreichbar. Neue Verbindung…
announce-sending = Die Links werden gesendet…
announce-waiting = Links an { $email } gesendet. Tippen Sie auf Link Nummer { $number }.
announce-waiting-reconnecting = Server nicht erreichbar. Neue Verbindung… Ihre Nummer ist weiterhin { $number }.
announce-magic = Anmeldelink an { $address } gesendet. Öffnen Sie ihn auf diesem Computer.
announce-change-sending = Links werden an { $email } gesendet…
announce-change-waiting = Links an { $email } gesendet. Tippen Sie auf Link Nummer { $number }, um Ihre neue Adresse zu bestätigen.
announce-signed-in = Angemeldet als { $email }.
settings-saved = Einstellungen gespeichert.

## Settings

base-url-label = Serveradresse
base-url-help = Ein beckon-server, etwa { $example }. Leer lassen für die Descope-Cloud.
project-id-label = Descope-Projekt-ID
project-id-help = Für die Descope-Cloud. Leer lassen für einen beckon-server, der seine eigene nennt.
settings-save = Speichern und verwenden
settings-back = Zurück
settings-from-environment = Für diesen Start durch BECKON_BASE_URL / BECKON_PROJECT_ID festgelegt. Starten Sie { $app } ohne sie, um es hier zu ändern.
language-label = Sprache
language-system = System ({ $language })

## Said by the plugin's Rust side (a desktop notification)

notification-title = Bei { $app } angemeldet
notification-body = Sie sind als { $email } angemeldet.
