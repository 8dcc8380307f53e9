# The sign-in view's messages in Spanish (español).
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/view.ftl.

## The app, when it gives no name

this-app = esta aplicación

## Errors (one per code the view knows)

error-invalid-email = Se rechazó esta dirección de correo. Compruébala e inténtalo de nuevo.
error-unknown-user = Ninguna cuenta usa este correo todavía. Crea una o comprueba la dirección.
error-user-exists = Ya hay una cuenta con este correo. Entra en su lugar.
error-offline-server = No se puede contactar con el servidor de acceso en { $server }. ¿Está en marcha beckon-server?
error-offline = No se puede contactar con el servidor de acceso. Comprueba tu conexión e inténtalo de nuevo.
error-expired = El enlace caducó antes de confirmarse. Envía uno nuevo.
error-declined = Rechazado en tu teléfono. Nadie entró; los enlaces ya no funcionan.
error-disabled = Esta cuenta está desactivada. Pide a quien gestiona tu servidor de acceso que la active.
error-rate-limited = Demasiados intentos. Vuelve a intentarlo en un minuto.
error-rate-limited-seconds = Demasiados intentos. Vuelve a intentarlo en { $seconds } segundos.
error-rate-limited-minutes = Demasiados intentos. Vuelve a intentarlo en { $minutes } minutos.
error-paused = Alguien respondió «No, no fui yo» a una solicitud de acceso para esta dirección, así que los correos de acceso a ella están en pausa un tiempo. Si fuiste tú por error, el correo sobre ello tiene un botón para permitir los accesos de nuevo.
error-paused-seconds = Alguien respondió «No, no fui yo» a una solicitud de acceso para esta dirección, así que los correos de acceso a ella están en pausa { $seconds } segundos más. Si fuiste tú por error, el correo sobre ello tiene un botón para permitir los accesos de nuevo.
error-paused-minutes = Alguien respondió «No, no fui yo» a una solicitud de acceso para esta dirección, así que los correos de acceso a ella están en pausa { $minutes } minutos más. Si fuiste tú por error, el correo sobre ello tiene un botón para permitir los accesos de nuevo.
error-wrong-code = Ese no es el código del correo. { $tries ->
    [one] Queda 1 intento antes de que termine este acceso.
   *[other] Quedan { $tries } intentos antes de que termine este acceso.
}
error-not-waiting = Ningún acceso espera un código. Empieza de nuevo.
error-unknown-project = El servidor no conoce el ID de proyecto de esta aplicación. Revisa BECKON_PROJECT_ID.
error-no-project = { $server } no dijo a qué proyecto sirve ({ $detail }). Configura BECKON_PROJECT_ID.
error-no-server = No hay servidor configurado: configura BECKON_BASE_URL o BECKON_PROJECT_ID.
error-plain-http = { $url } es http:// sin cifrar en otra máquina: tu acceso cruzaría la red sin cifrar, donde cualquiera en el camino podría quedárselo. Usa su dirección https://, o un servidor en este ordenador. En una red de confianza, inicia { $app } con BECKON_BASE_URL={ $url } y BECKON_UNSAFE_PLAIN_HTTP=1 para usarlo igualmente.
error-bad-server-url = «{ $input }» no es una dirección de servidor ({ $problem }); por ejemplo { $example }.
url-not-a-url = no se puede leer como URL
url-not-http = debe empezar por http:// o https://
url-no-host = no indica ningún host
url-query-or-fragment = no debe tener partes ? ni #
error-bad-project-id = «{ $input }» no es un ID de proyecto de Descope: empiezan por P y tienen 28 letras y cifras (32 con región). Encuentra el tuyo en la configuración del proyecto en la consola de Descope.
error-bad-language = «{ $input }» no es un código de idioma como es o es-MX.
error-settings-not-saved = No se pudo guardar la configuración en { $path }: { $detail }
error-settings-not-kept = { $app } no guarda configuración de servidor: su servidor está fijado en la aplicación.
error-settings-from-environment = BECKON_BASE_URL o BECKON_PROJECT_ID están definidos para esta ejecución, así que aquí no se puede cambiar el servidor. Inicia { $app } sin ellos para usar la configuración.
error-invalid-session = No se pudo verificar la respuesta del servidor, así que no entraste. Inténtalo de nuevo.
error-wrong-account = Ese enlace da acceso a otra cuenta, no a { $email }, así que no se usó. Abre el enlace del correo enviado a { $email }.
error-no-deep-link = Esta aplicación no puede abrir enlaces de acceso desde el correo. Entra con el número.
error-signed-out = No has entrado.
error-server-code = El servidor de acceso lo rechazó ({ $code }). Inténtalo de nuevo.
error-server = Algo salió mal al hablar con el servidor de acceso. Inténtalo de nuevo.

## Notes on a screen

notice-session-ended = Tu sesión terminó (caducó o se cerró). Vuelve a entrar.
notice-signed-out-elsewhere = Se cerró tu sesión: terminó en el servidor (se cerró en otro sitio o caducó). Vuelve a entrar.
notice-no-keyring = Este ordenador no puede mantener tu sesión ({ $detail }); entrarás cada vez que abras { $app }.
notice-server-not-told-everywhere = Sesión cerrada en este ordenador. No se pudo pedir al servidor que cierre tus otras sesiones ({ $why }); terminarán al caducar.
notice-server-not-told = Sesión cerrada en este ordenador. No se pudo avisar al servidor ({ $why }); allí la sesión termina al caducar.
notice-keyring-not-cleared = Sesión cerrada, pero no se pudo borrar la entrada del llavero ({ $detail }).
notice-link-ignored = Se abrió un enlace de acceso, pero se ignoró: { $why }.
notice-email-changed = Tu correo ahora es { $email }.
ignored-not-waiting = { $app } no esperaba un enlace de acceso del correo de este ordenador
ignored-not-a-link = no es un enlace
ignored-not-a-sign-in-link = no es un enlace de acceso de { $app }
ignored-too-long = el enlace es demasiado largo
ignored-not-one-token = no lleva exactamente un token de acceso
ignored-malformed-token = su token de acceso está mal formado

## The email screen

mode-legend = Cuenta
mode-sign-up-or-in = Entrar o registrarse
mode-sign-in = Entrar
mode-sign-up = Registrarse
offer-sign-up = Crear una cuenta
offer-sign-in = Entrar en su lugar
heading-sign-up = Crear una cuenta
heading-sign-in = Entrar
email-lead = Te enviaremos tres enlaces numerados. Toca el que tenga el número que muestra esta ventana.
email-label = Correo
email-placeholder = tu@ejemplo.com
email-invalid = Escribe una dirección de correo como tu@ejemplo.com.
send-link = Enviar enlace
sending = Enviando…
retry-new-link = Enviar un enlace nuevo
retry-start-again = Empezar de nuevo
retry-try-again = Intentar de nuevo
retry-in = Inténtalo en { $time }
retry-in-seconds = Inténtalo en { $seconds } s
server-settings = Configuración del servidor

## Waiting for the tap

wait-lead = Abre el correo en tu teléfono y toca el enlace número
link-number = Enlace número { $number }
sent-to = Enviado a { $email }
expires-in = El enlace caduca en { $time }
reconnecting = No se puede contactar con el servidor: reconectando…
waiting-for-tap = Esperando tu toque…
cancel = Cancelar
send-new-links = Enviar enlaces nuevos
different-email = Usar otro correo
reading-here = ¿Lees el correo en este ordenador?
help-heading = ¿Aún no hay correo?
help-text = Llega desde el servidor de acceso de { $app }, con el asunto «Tu enlace para entrar en { $app }». Mira también en la carpeta de spam o correo no deseado; algunos correos tardan unos minutos. Puedes enviar enlaces nuevos o escribir abajo el código del correo.
code-show = Escribir el código
code-label = El código del correo, debajo de los enlaces
code-submit = Confirmar código
code-hint = Escríbelo solo aquí, donde empezaste a entrar. No se lo digas nunca a nadie.

## Signed in

sign-out = Cerrar sesión
welcome = Hola, { $name }
signed-in = Has entrado
signed-in-as = Dentro como { $email }
signed-in-since-today = En este ordenador desde las { $time }
signed-in-since = En este ordenador desde el { $day }, { $time }
not-remembered = Este ordenador no tiene un llavero que { $app } pueda usar, así que la próxima vez tendrás que volver a entrar.
change-email = Cambiar correo
change-label = Correo nuevo
change-placeholder = nuevo@ejemplo.com
change-send = Enviar enlaces
change-keep = Mantener mi correo
change-same = Ese ya es tu correo.
change-heading = Confirma tu nueva dirección
change-tap = Toca el enlace número
change-sent-to = del correo enviado a { $email }
change-cancel = Cancelar el cambio

## A magic link, and signing back in

magic-heading = Mira tu correo aquí
magic-sent-to = Enviamos un enlace de acceso a { $address }.
magic-lead = Ábrelo en este ordenador y haz clic en el enlace: abre { $app } y te da acceso.
use-phone = Usar mi teléfono
restoring = Volviendo a entrar…
use-another = Entrar con otro correo

## Said to screen readers

announce-reconnecting = No se puede contactar con el servidor. Reconectando…
announce-sending = Enviando los enlaces…
announce-waiting = Enlaces enviados a { $email }. Toca el enlace número { $number }.
announce-waiting-reconnecting = No se puede contactar con el servidor. Reconectando… Tu número sigue siendo { $number }.
announce-magic = Enlace de acceso enviado a { $address }. Ábrelo en este ordenador.
announce-change-sending = Enviando enlaces a { $email }…
announce-change-waiting = Enlaces enviados a { $email }. Toca el enlace número { $number } para confirmar tu nueva dirección.
announce-signed-in = Dentro como { $email }.
settings-saved = Configuración guardada.

## Settings

base-url-label = Dirección del servidor
base-url-help = Un beckon-server, como { $example }. Déjalo vacío para la nube de Descope.
project-id-label = ID de proyecto de Descope
project-id-help = Para la nube de Descope. Déjalo vacío para un beckon-server, que indica el suyo.
settings-save = Guardar y usar
settings-back = Volver
settings-from-environment = Fijado por BECKON_BASE_URL / BECKON_PROJECT_ID en esta ejecución. Inicia { $app } sin ellos para cambiarlo aquí.
language-label = Idioma
language-system = Sistema ({ $language })

## Said by the plugin's Rust side (a desktop notification)

notification-title = Has entrado en { $app }
notification-body = Has entrado como { $email }.
