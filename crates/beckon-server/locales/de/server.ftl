# beckon-server's messages in German (Deutsch).
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/server.ftl.

## Where a request came from ("Is this you?")

origin-where = Wo
origin-address = Adresse
origin-device = Gerät
origin-when = Wann
place-this-computer = Auf diesem Computer (dem des Servers)
place-local-network = In Ihrem lokalen Netzwerk
place-near = In der Nähe von { $place } (ungefähr)
place-unknown = Unbekannt
address-unknown = Nicht bekannt
device-unknown = Keine Angabe
device-claimed = „{ $device }“ (nach eigener Angabe; nicht geprüft)
when-utc = { $when } UTC
ago-just-now = gerade eben
ago-minutes = { $count ->
    [one] vor 1 Minute
   *[other] vor { $count } Minuten
}
ago-hours = { $count ->
    [one] vor 1 Stunde
   *[other] vor { $count } Stunden
}
ago-days = { $count ->
    [one] vor 1 Tag
   *[other] vor { $count } Tagen
}

## The sign-in email and text message

mail-sign-in-subject = Ihr Anmeldelink für { $app }
mail-confirm-subject = Bestätigen Sie Ihre neue E-Mail-Adresse für { $app }
mail-sign-in-intro = Jemand möchte sich bei { $app } als { $address } anmelden.
mail-confirm-intro = Jemand möchte diese Adresse für { $app } als { $address } verwenden.
is-this-you = Sind Sie das?
mail-ask-numbered = Tippen Sie auf den Link mit der Zahl, die Ihr Bildschirm zeigt:
mail-ask-one = Tippen Sie auf den Link, um sich anzumelden:
mail-confirm-ask-numbered = Tippen Sie zur Bestätigung auf den Link mit der Zahl, die Ihr Bildschirm zeigt:
mail-confirm-ask-one = Tippen Sie zur Bestätigung auf den Link:
mail-link-sign-in = Anmelden
mail-link-confirm = Bestätigen
mail-code-intro = Kein Link funktioniert? Geben Sie diesen Code auf dem Bildschirm ein, auf dem die Anmeldung begann:
mail-code-warning = Geben Sie ihn nur dort ein und nennen Sie ihn niemandem: Niemand wird Sie je danach fragen müssen.
mail-footer = { $links ->
    [one] Der Link läuft in { $minutes } Minuten ab.
   *[other] Die Links laufen in { $minutes } Minuten ab.
} Wenn Sie das nicht waren, ignorieren Sie diese Nachricht.
sms-sign-in = Anmeldung bei { $app }
sms-confirm = { $app }: diese Nummer bestätigen
sms-sign-in-subject = Anmeldung bei { $app } (SMS)
sms-confirm-subject = Nummernbestätigung für { $app } (SMS)
sms-code = Oder Code { $code } dort eingeben, wo Sie begonnen haben. Niemandem nennen.
sms-expires = Gültig { $minutes } Min. Nicht Sie? Ignorieren.
merge-keep-other = Die Bestätigung führt zwei Konten zusammen: Das Konto von { $requester } geht in dem Konto auf, das sich mit { $address } anmeldet und bestehen bleibt; das Konto von { $requester } wird gelöscht.
merge-keep-mine = Die Bestätigung führt zwei Konten zusammen: Das Konto, das sich mit { $address } anmeldet, geht im Konto von { $requester } auf, das bestehen bleibt; danach meldet { $address } beim Konto von { $requester } an, und das andere Konto wird gelöscht.

## "New sign-in to <app>"

notice-subject = Neue Anmeldung bei { $app }
notice-sms-subject = Neue Anmeldung bei { $app } (SMS)
notice-sms = { $app }: neue Anmeldung { $when }. Nicht Sie? Gerät abmelden: { $url }
notice-intro = { $address } wurde gerade bei { $app } angemeldet. Wenn Sie das waren, ist nichts zu tun.
the-sign-in = Die Anmeldung
notice-sign-out = Das war ich nicht: dieses Gerät abmelden
notice-footer = Für die Anmeldung musste ein Link angetippt werden, der an diese Adresse ging. Wenn Sie keinen angetippt haben, liest womöglich jemand anderes Ihre E-Mails: Ändern Sie auch deren Passwort.

## After a "No": sign-ins paused

paused-subject = Anmeldungen bei { $app } nach Ihrem „Nein“ pausiert
paused-sms-subject = Anmeldungen bei { $app } pausiert (SMS)
paused-sms-declined = { $app }: Sie haben eine Anmeldung abgelehnt. { $minutes } Min. keine neuen Anmelde-SMS. Doch Sie? Wieder erlauben: { $url }
paused-sms-signed-out = { $app }: Sie haben ein Gerät abgemeldet. { $minutes } Min. keine neuen Anmelde-SMS. Doch Sie? Wieder erlauben: { $url }
paused-intro-declined = Sie haben eine Anfrage zur Anmeldung bei { $app } als { $address } mit „Nein, das war ich nicht“ beantwortet.
paused-intro-signed-out = Sie haben ein Gerät abgemeldet, das bei { $app } als { $address } angemeldet war, und Anmeldungen pausiert.
paused-heading-declined = Die abgelehnte Anfrage
paused-heading-signed-out = Die abgemeldete Anmeldung
paused-what = Damit niemand immer wieder fragen kann, wurden alle offenen Anfragen für diese Adresse beendet, und { $minutes } Minuten lang werden keine neuen Anmeldelinks an sie gesendet.
allow-again = Das war ich: Anmeldungen wieder erlauben
paused-footer = Wenn Sie es doch waren, öffnen Sie den Link oben, um Anmeldungen wieder zu erlauben. Sonst ist nichts zu tun: Niemand wurde angemeldet.

## The confirm page

confirm-title-sign-in = Bei { $app } anmelden?
confirm-title-update = Diese Adresse für { $app } verwenden?
confirm-link-number = Dies ist Link Nummer
confirm-only-if = Bestätigen Sie nur, wenn Ihr Computer { $number } zeigt. Zeigt er eine andere Zahl, gehen Sie zurück zur E-Mail und tippen Sie auf diesen Link.
confirm-yes-sign-in = Ja, anmelden
confirm-yes-update = Ja, diese Adresse verwenden
confirm-who-sign-in = Anmeldung als
confirm-who-update = Neue Adresse
no-not-me = Nein, das war ich nicht
confirm-if-not-you = Wenn Sie das nicht angefordert haben, tippen Sie auf „Nein“: Der anfragende Computer erfährt es, und kein Link in dieser E-Mail funktioniert mehr. Ohne Antippen passiert nichts.

## After an answer

declined-title = Anmeldung abgelehnt
declined-heading = Abgelehnt: Niemand wurde angemeldet
declined-text = Alle Links in dieser E-Mail funktionieren nicht mehr, und Ihr Computer wurde informiert. Ohne Antippen auf Ihrem Telefon kommt niemand hinein.
declined-note = Wenn Sie sich nicht anmelden wollten, hat jemand Ihre Adresse eingegeben: Alle an sie gesendeten Anmeldelinks funktionieren nicht mehr.
declined-note-paused = Wenn Sie sich nicht anmelden wollten, hat jemand Ihre Adresse eingegeben: Alle an sie gesendeten Anmeldelinks funktionieren nicht mehr, und { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} lang werden keine neuen gesendet. Wir haben Ihnen per E-Mail einen Weg geschickt, sie wieder zu erlauben, falls Sie es doch waren.
waiting-title = Warten auf Ihren Computer
waiting-heading = Warten auf Ihren Computer…
waiting-sign-in = Sie haben bestätigt. Ihr Computer meldet sich an, sobald er davon erfährt; lassen Sie diese Seite offen, um es zu sehen.
waiting-update = Sie haben die Adresse bestätigt. Ihr Computer zeigt sie, sobald er davon erfährt.
signed-in-title = Angemeldet
signed-in-heading = Ihr Computer ist angemeldet
close-page = Sie können diese Seite schließen.
confirmed-title = Adresse bestätigt
confirmed-heading = Ihr Computer zeigt die neue Adresse
missed-title = Ihr Computer wurde nicht angemeldet
missed-heading = Ihr Computer hat das nicht rechtzeitig abgeholt
missed-text = Sie haben bestätigt, aber der anfragende Computer hat aufgehört zu warten, bevor er davon erfuhr. Niemand wurde angemeldet. Beginnen Sie erneut auf Ihrem Computer.
wrong-title = Falsche Zahl
wrong-heading = Nicht dieser
wrong-ended = Dies ist Link { $number }, aber der anfragende Computer zeigt eine andere Zahl. Diese Anmeldeanfrage ist beendet und ihre Links funktionieren nicht mehr: Wenn Sie es waren, beginnen Sie erneut auf Ihrem Computer und tippen Sie auf den Link mit der Zahl, die er zeigt.
nothing-signed-in = Niemand wurde angemeldet.
wrong-kept = Dies ist Link { $number }, aber Ihr Computer zeigt eine andere Zahl. Gehen Sie zurück zur E-Mail und tippen Sie auf den Link mit der Zahl auf Ihrem Bildschirm.
wrong-links-work = Niemand wurde angemeldet; Ihre Links funktionieren weiterhin.
wrong-no-number-heading = Kein Bildschirm zeigt eine Zahl?
wrong-no-number = Dann hat jemand anderes versucht, sich mit Ihrer Adresse anzumelden. Tippen Sie auf „Nein“: Die Anfrage endet, und eine Weile wird Ihnen keine neue Anmelde-E-Mail gesendet.
magic-elsewhere-title = Öffnen Sie diesen Link in der App
magic-elsewhere-text = Dieser Anmeldelink meldet das Gerät an, das ihn öffnet, über die App, die ihn angefordert hat. Diese Seite kann das nicht, daher ist hier nichts passiert.

## Links that cannot be used

expired-open-title = Anmeldung abgelaufen
expired-open-heading = Diese Anmeldung ist abgelaufen, während die Seite offen war
expired-open-text = Niemand wurde angemeldet. Beginnen Sie die Anmeldung erneut auf Ihrem Computer: Eine neue E-Mail kommt, und ihre Links gelten einige Minuten.
expired-title = Link abgelaufen
expired-heading = Dieser Link ist abgelaufen
expired-text = Anmeldelinks gelten einige Minuten. Beginnen Sie erneut auf Ihrem Computer, dann kommt eine neue E-Mail.
invalid-title = Link ungültig
invalid-heading = Dieser Link ist nicht mehr gültig
invalid-text = Er wurde schon verwendet oder ist abgelaufen. Wenn Sie noch nicht angemeldet sind, beginnen Sie erneut auf Ihrem Computer.
disabled-title = Konto deaktiviert
disabled-heading = Dieses Konto ist deaktiviert
disabled-text = Niemand wurde angemeldet. Ein Administrator hat dieses Konto deaktiviert; bitten Sie ihn, es wieder zu aktivieren.
too-many-title = Zu viele Versuche
too-many-text = Diese Adresse oder dieses Netzwerk hat zu oft gefragt. Versuchen Sie den Link in { $seconds } Sekunden erneut.
refused-title = Anmeldung nicht möglich
refused-text = Dieser Link kann nicht verwendet werden (Fehler { $code }). Beginnen Sie erneut auf Ihrem Computer.
failed-title = Etwas ist schiefgelaufen
failed-text = Der Server konnte diesen Link nicht prüfen. Versuchen Sie es gleich noch einmal.
notice-invalid-text = Die Anmeldung, um die es ging, ist beendet. Um alle Geräte abzumelden, nutzen Sie die Abmeldung der App oder fragen Sie, wer Ihren Anmeldeserver betreibt.
no-pause-title = Keine Pause aufzuheben
no-pause-heading = Anmeldungen sind nicht pausiert
no-pause-text = Die Pause ist vorbei oder wurde schon aufgehoben: Anmeldelinks werden wieder gesendet. Beginnen Sie die Anmeldung auf Ihrem Computer.

## Lifting a pause, signing a device out

allow-title = Anmeldungen wieder erlauben?
allow-text = Nach einem „Nein, das war ich nicht“ werden { $minutes ->
    [one] noch 1 Minute
   *[other] noch { $minutes } Minuten
} lang keine Anmeldelinks an { $address } gesendet. Wenn die abgelehnte Anmeldung doch Sie waren, erlauben Sie sie jetzt wieder.
allow-leave = Wenn die abgelehnte Anmeldung nicht Sie waren, verlassen Sie diese Seite: Die Pause endet von selbst, und niemand wurde angemeldet.
allowed-title = Anmeldungen wieder erlaubt
allowed-text = Beginnen Sie die Anmeldung erneut auf Ihrem Computer: Eine neue E-Mail kommt.
signout-title = Dieses Gerät abmelden?
signout-text = Damit wird das Gerät abgemeldet, das bei { $app } als { $address } angemeldet wurde. Ihre anderen Geräte bleiben angemeldet.
signout-button = Dieses Gerät abmelden
signout-leave = Wenn Sie es waren, verlassen Sie diese Seite: Nichts ändert sich, bevor Sie auf die Schaltfläche tippen.
signout-pause-button = Auch Anmeldungen für { $minutes } Minuten pausieren
signout-pause-about = Eine Pause stoppt neue Anmelde-E-Mails an diese Adresse für eine Weile, damit niemand immer wieder fragen kann. Wir senden Ihnen einen Weg, sie wieder zu erlauben.
signout-already-title = Bereits abgemeldet
signout-already-heading = Dieses Gerät ist bereits abgemeldet
signout-again = Es muss sich erneut anmelden, wofür ein Link angetippt werden muss, der an Sie geht.
signout-paused-title = Anmeldungen pausiert
signout-paused-heading = Abgemeldet, und Anmeldungen pausiert
signout-paused-text = { $minutes } Minuten lang gehen keine neuen Anmelde-E-Mails an diese Adresse. Wir haben Ihnen einen Weg geschickt, sie wieder zu erlauben.
signout-paused-already = Anmelde-E-Mails an diese Adresse sind bereits pausiert.
signout-done-title = Abgemeldet
signout-done-heading = Dieses Gerät ist abgemeldet
signout-done-text = Es muss sich erneut anmelden, wofür ein Link angetippt werden muss, der an Sie geht. Wenn Sie keine Anmeldung angefordert haben, liest womöglich jemand anderes Ihre E-Mails: Ändern Sie deren Passwort.
