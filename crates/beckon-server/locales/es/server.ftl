# beckon-server's messages in Spanish (español).
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/server.ftl.

## Where a request came from ("Is this you?")

origin-where = Dónde
origin-address = Dirección
origin-device = Dispositivo
origin-when = Cuándo
place-this-computer = En este ordenador (el del servidor)
place-local-network = En tu red local
place-near = Cerca de { $place } (aproximado)
place-unknown = Desconocido
address-unknown = Desconocida
device-unknown = No lo dijo
device-claimed = «{ $device }» (según dice; sin comprobar)
when-utc = { $when } UTC
ago-just-now = justo ahora
ago-minutes = { $count ->
    [one] hace 1 minuto
   *[other] hace { $count } minutos
}
ago-hours = { $count ->
    [one] hace 1 hora
   *[other] hace { $count } horas
}
ago-days = { $count ->
    [one] hace 1 día
   *[other] hace { $count } días
}

## The sign-in email and text message

mail-sign-in-subject = Tu enlace para entrar en { $app }
mail-confirm-subject = Confirma tu nueva dirección de correo para { $app }
mail-sign-in-intro = Alguien pidió entrar en { $app } como { $address }.
mail-confirm-intro = Alguien pidió usar esta dirección para { $app } como { $address }.
is-this-you = ¿Eres tú?
mail-ask-numbered = Toca el enlace con el número que muestra tu pantalla:
mail-ask-one = Toca el enlace para entrar:
mail-confirm-ask-numbered = Toca el enlace con el número que muestra tu pantalla para confirmarla:
mail-confirm-ask-one = Toca el enlace para confirmarla:
mail-link-sign-in = Entrar
mail-link-confirm = Confirmar
mail-code-intro = ¿No funciona ningún enlace? Escribe este código en la pantalla donde empezaste a entrar:
mail-code-warning = Escríbelo solo allí y no se lo digas a nadie: nadie necesitará pedírtelo nunca.
mail-footer = { $links ->
    [one] El enlace caduca en { $minutes } minutos.
   *[other] Los enlaces caducan en { $minutes } minutos.
} Si no fuiste tú, ignora este mensaje.
sms-sign-in = Entrar en { $app }
sms-confirm = { $app }: confirma este número
sms-sign-in-subject = Entrar en { $app } (SMS)
sms-confirm-subject = Confirmación de número de { $app } (SMS)
sms-code = O escribe el código { $code } donde empezaste. No se lo digas a nadie.
sms-expires = Caduca en { $minutes } min. ¿No fuiste tú? Ignóralo.
merge-keep-other = Confirmar une dos cuentas: la cuenta de { $requester } se une a la cuenta que entra con { $address }, que se mantiene; la cuenta de { $requester } se elimina.
merge-keep-mine = Confirmar une dos cuentas: la cuenta que entra con { $address } se une a la cuenta de { $requester }, que se mantiene; desde entonces { $address } entra en la cuenta de { $requester } y la otra cuenta se elimina.

## "New sign-in to <app>"

notice-subject = Nuevo acceso a { $app }
notice-sms-subject = Nuevo acceso a { $app } (SMS)
notice-sms = { $app }: nuevo acceso { $when }. ¿No fuiste tú? Cierra la sesión de ese dispositivo: { $url }
notice-intro = { $address } acaba de entrar en { $app }. Si fuiste tú, no hay nada que hacer.
the-sign-in = El acceso
notice-sign-out = No fui yo: cerrar la sesión de ese dispositivo
notice-footer = Para entrar hubo que tocar un enlace enviado a esta dirección. Si no tocaste ninguno, puede que otra persona lea tu correo: cambia también su contraseña.

## After a "No": sign-ins paused

paused-subject = Accesos a { $app } en pausa tras tu «No»
paused-sms-subject = Accesos a { $app } en pausa (SMS)
paused-sms-declined = { $app }: dijiste No a un acceso. Sin nuevos SMS de acceso durante { $minutes } min. ¿Fuiste tú? Permítelos de nuevo: { $url }
paused-sms-signed-out = { $app }: cerraste la sesión de un dispositivo. Sin nuevos SMS de acceso durante { $minutes } min. ¿Fuiste tú? Permítelos de nuevo: { $url }
paused-intro-declined = Respondiste «No, no fui yo» a una solicitud para entrar en { $app } como { $address }.
paused-intro-signed-out = Cerraste la sesión de un dispositivo que había entrado en { $app } como { $address } y pediste pausar los accesos.
paused-heading-declined = La solicitud rechazada
paused-heading-signed-out = El acceso cerrado
paused-what = Para que nadie pueda seguir pidiendo, se cerraron todas las solicitudes abiertas a esta dirección y no se le enviarán nuevos enlaces de acceso durante { $minutes } minutos.
allow-again = Fui yo: permitir los accesos de nuevo
paused-footer = Si al final fuiste tú, abre el enlace de arriba para permitir los accesos de nuevo. Si no, no hay nada que hacer: nadie entró.

## The confirm page

confirm-title-sign-in = ¿Entrar en { $app }?
confirm-title-update = ¿Usar esta dirección para { $app }?
confirm-link-number = Este es el enlace número
confirm-only-if = Confirma solo si tu ordenador muestra { $number }. Si muestra otro número, vuelve al correo y toca ese enlace.
confirm-yes-sign-in = Sí, quiero entrar
confirm-yes-update = Sí, usar esta dirección
confirm-who-sign-in = Entrando como
confirm-who-update = Nueva dirección
no-not-me = No, no fui yo
confirm-if-not-you = Si no lo pediste, toca «No»: se avisa al ordenador que lo pidió y todos los enlaces de este correo dejan de funcionar. No pasa nada sin un toque.

## After an answer

declined-title = Acceso rechazado
declined-heading = Rechazado: nadie entró
declined-text = Todos los enlaces de este correo dejaron de funcionar y se avisó a tu ordenador. Nadie puede entrar sin un toque en tu teléfono.
declined-note = Si no pediste entrar, alguien escribió tu dirección: todos los enlaces de acceso enviados a ella dejaron de funcionar.
declined-note-paused = Si no pediste entrar, alguien escribió tu dirección: todos los enlaces de acceso enviados a ella dejaron de funcionar y no se enviarán nuevos durante { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
}. Te enviamos por correo una forma de permitirlos de nuevo si al final fuiste tú.
waiting-title = Esperando a tu ordenador
waiting-heading = Esperando a tu ordenador…
waiting-sign-in = Has confirmado. Tu ordenador entra en cuanto se entera; deja esta página abierta para verlo.
waiting-update = Has confirmado la dirección. Tu ordenador la muestra en cuanto se entera.
signed-in-title = Dentro
signed-in-heading = Tu ordenador ha entrado
close-page = Puedes cerrar esta página.
confirmed-title = Dirección confirmada
confirmed-heading = Tu ordenador muestra la nueva dirección
missed-title = Tu ordenador no entró
missed-heading = Tu ordenador no lo recogió a tiempo
missed-text = Confirmaste, pero el ordenador que lo pidió dejó de esperar antes de enterarse. Nadie entró. Empieza de nuevo en tu ordenador.
wrong-title = Número equivocado
wrong-heading = Este no es
wrong-ended = Este es el enlace { $number }, pero el ordenador que lo pidió muestra otro número. Esta solicitud de acceso ha terminado y sus enlaces ya no funcionan: si fuiste tú, empieza de nuevo en tu ordenador y toca el enlace con el número que muestre.
nothing-signed-in = Nadie entró.
wrong-kept = Este es el enlace { $number }, pero tu ordenador muestra otro número. Vuelve al correo y toca el enlace con el número de tu pantalla.
wrong-links-work = Nadie entró; tus enlaces siguen funcionando.
wrong-no-number-heading = ¿Ninguna pantalla muestra un número?
wrong-no-number = Entonces otra persona pidió entrar con tu dirección. Toca «No»: su solicitud termina y durante un tiempo no se te envía ningún correo de acceso nuevo.
magic-elsewhere-title = Abre este enlace en la aplicación
magic-elsewhere-text = Este enlace de acceso da entrada al dispositivo que lo abre, a través de la aplicación que lo pidió. Esta página no puede hacerlo, así que aquí no pasó nada.

## Links that cannot be used

expired-open-title = Acceso caducado
expired-open-heading = Este acceso caducó mientras la página estaba abierta
expired-open-text = Nadie entró. Empieza de nuevo en tu ordenador: llegará un correo nuevo y sus enlaces funcionan durante unos minutos.
expired-title = Enlace caducado
expired-heading = Este enlace ha caducado
expired-text = Los enlaces de acceso duran unos minutos. Empieza de nuevo en tu ordenador y llegará un correo nuevo.
invalid-title = Enlace no válido
invalid-heading = Este enlace ya no es válido
invalid-text = Ya se usó o caducó. Si aún no has entrado, empieza de nuevo en tu ordenador.
disabled-title = Cuenta desactivada
disabled-heading = Esta cuenta está desactivada
disabled-text = Nadie entró. Un administrador desactivó esta cuenta; pídele que la vuelva a activar.
too-many-title = Demasiados intentos
too-many-text = Esta dirección o red lo pidió demasiadas veces. Vuelve a probar el enlace dentro de { $seconds } segundos.
refused-title = No se puede entrar
refused-text = Este enlace no se puede usar (error { $code }). Empieza de nuevo en tu ordenador.
failed-title = Algo salió mal
failed-text = El servidor no pudo comprobar este enlace. Inténtalo de nuevo en un momento.
notice-invalid-text = El acceso del que trataba ya terminó. Para cerrar la sesión en todos los dispositivos, usa la opción de la propia aplicación o pregunta a quien gestiona tu servidor de acceso.
no-pause-title = No hay pausa que quitar
no-pause-heading = Los accesos no están en pausa
no-pause-text = La pausa terminó o ya se quitó: los enlaces de acceso se envían de nuevo. Empieza el acceso en tu ordenador.

## Lifting a pause, signing a device out

allow-title = ¿Permitir los accesos de nuevo?
allow-text = Tras un «No, no fui yo», no se envían enlaces de acceso a { $address } durante { $minutes ->
    [one] 1 minuto más
   *[other] { $minutes } minutos más
}. Si el acceso que rechazaste al final eras tú, permítelos de nuevo ahora.
allow-leave = Si el acceso que rechazaste no eras tú, sal de esta página: la pausa termina sola y nadie entró.
allowed-title = Accesos permitidos de nuevo
allowed-text = Empieza de nuevo en tu ordenador: llegará un correo nuevo.
signout-title = ¿Cerrar la sesión de ese dispositivo?
signout-text = Esto cierra la sesión del dispositivo que entró en { $app } como { $address }. Tus otros dispositivos siguen dentro.
signout-button = Cerrar la sesión de ese dispositivo
signout-leave = Si fuiste tú, sal de esta página: nada cambia hasta que pulses el botón.
signout-pause-button = Pausar también los accesos durante { $minutes } minutos
signout-pause-about = La pausa detiene durante un tiempo los nuevos correos de acceso a esta dirección, para que nadie pueda seguir pidiendo. Te enviaremos una forma de permitirlos de nuevo.
signout-already-title = Sesión ya cerrada
signout-already-heading = Ese dispositivo ya no tiene la sesión abierta
signout-again = Tiene que entrar de nuevo, y para eso hace falta tocar un enlace enviado a ti.
signout-paused-title = Accesos en pausa
signout-paused-heading = Sesión cerrada y accesos en pausa
signout-paused-text = Durante { $minutes } minutos no se envían nuevos correos de acceso a esta dirección. Te enviamos una forma de permitirlos de nuevo.
signout-paused-already = Los correos de acceso a esta dirección ya están en pausa.
signout-done-title = Sesión cerrada
signout-done-heading = Ese dispositivo ya no tiene la sesión abierta
signout-done-text = Tiene que entrar de nuevo, y para eso hace falta tocar un enlace enviado a ti. Si no pediste ningún acceso, puede que otra persona lea tu correo: cambia su contraseña.
