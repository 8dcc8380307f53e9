# The sign-in view's messages in Arabic (العربية), written right to left.
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/view.ftl.
# Numbers, codes and addresses stay in ASCII and left to right.

## The app, when it gives no name

this-app = هذا التطبيق

## Errors (one per code the view knows)

error-invalid-email = رُفض عنوان البريد هذا. تحقّق منه وحاول مجددًا.
error-unknown-user = لا يوجد حساب بهذا البريد بعد. أنشئ حسابًا، أو تحقّق من العنوان.
error-user-exists = يوجد حساب بهذا البريد من قبل. سجّل الدخول بدلًا من ذلك.
error-offline-server = تعذّر الوصول إلى خادم تسجيل الدخول على { $server }. هل beckon-server يعمل؟
error-offline = تعذّر الوصول إلى خادم تسجيل الدخول. تحقّق من اتصالك وحاول مجددًا.
error-expired = انتهت صلاحية الرابط قبل تأكيده. أرسل رابطًا جديدًا.
error-declined = رُفض على هاتفك. لم يسجّل أحد الدخول؛ ولم تعد الروابط تعمل.
error-disabled = هذا الحساب معطّل. اطلب ممن يدير خادم تسجيل الدخول تفعيله.
error-rate-limited = محاولات كثيرة جدًا. حاول مجددًا بعد دقيقة.
error-rate-limited-seconds = محاولات كثيرة جدًا. حاول مجددًا بعد { $seconds } ثانية.
error-rate-limited-minutes = محاولات كثيرة جدًا. حاول مجددًا بعد { $minutes } دقيقة.
error-paused = أجاب أحدهم «لا، لم أكن أنا» على طلب تسجيل دخول لهذا العنوان، لذا أُوقفت رسائل الدخول إليه لفترة. إن كنت أنت عن طريق الخطأ، ففي البريد الخاص بذلك زر للسماح بتسجيل الدخول مجددًا.
error-paused-seconds = أجاب أحدهم «لا، لم أكن أنا» على طلب تسجيل دخول لهذا العنوان، لذا أُوقفت رسائل الدخول إليه لمدة { $seconds } ثانية أخرى. إن كنت أنت عن طريق الخطأ، ففي البريد الخاص بذلك زر للسماح بتسجيل الدخول مجددًا.
error-paused-minutes = أجاب أحدهم «لا، لم أكن أنا» على طلب تسجيل دخول لهذا العنوان، لذا أُوقفت رسائل الدخول إليه لمدة { $minutes } دقيقة أخرى. إن كنت أنت عن طريق الخطأ، ففي البريد الخاص بذلك زر للسماح بتسجيل الدخول مجددًا.
error-wrong-code = هذا ليس الرمز الموجود في البريد. { $tries ->
    [one] تبقّت محاولة واحدة قبل أن ينتهي تسجيل الدخول هذا.
    [two] تبقّت محاولتان قبل أن ينتهي تسجيل الدخول هذا.
    [few] تبقّت { $tries } محاولات قبل أن ينتهي تسجيل الدخول هذا.
   *[other] تبقّت { $tries } محاولة قبل أن ينتهي تسجيل الدخول هذا.
}
error-not-waiting = لا يوجد تسجيل دخول ينتظر رمزًا. ابدأ من جديد.
error-unknown-project = لا يعرف الخادم معرّف مشروع هذا التطبيق. تحقّق من BECKON_PROJECT_ID.
error-no-project = لم يذكر { $server } المشروع الذي يخدمه ({ $detail }). اضبط BECKON_PROJECT_ID.
error-no-server = لا يوجد خادم مضبوط: اضبط BECKON_BASE_URL أو BECKON_PROJECT_ID.
error-plain-http = { $url } هو http:// غير مشفّر على جهاز آخر: سيعبر تسجيل دخولك الشبكة دون تشفير، حيث يمكن لأي أحد في الطريق أخذه. استخدم عنوانه https://، أو خادمًا على هذا الحاسوب. على شبكة تثق بها، شغّل { $app } مع BECKON_BASE_URL={ $url } و BECKON_UNSAFE_PLAIN_HTTP=1 لاستخدامه على أي حال.
error-bad-server-url = «{ $input }» ليس عنوان خادم ({ $problem })؛ مثلًا { $example }.
url-not-a-url = لا يمكن قراءته كعنوان URL
url-not-http = يجب أن يبدأ بـ http:// أو https://
url-no-host = لا يذكر مضيفًا
url-query-or-fragment = يجب ألا يحتوي على أجزاء ? أو #
error-bad-project-id = «{ $input }» ليس معرّف مشروع Descope: تبدأ المعرّفات بـ P وفيها 28 حرفًا ورقمًا (32 مع المنطقة). تجد معرّفك في إعدادات المشروع في وحدة تحكم Descope.
error-bad-language = «{ $input }» ليس رمز لغة مثل es أو es-MX.
error-settings-not-saved = تعذّر حفظ الإعدادات في { $path }: { $detail }
error-settings-not-kept = لا يحفظ { $app } إعدادات خادم: خادمه محدّد في التطبيق.
error-settings-from-environment = BECKON_BASE_URL أو BECKON_PROJECT_ID مضبوط لهذا التشغيل، لذا لا يمكن تغيير الخادم هنا. شغّل { $app } دونهما لاستخدام الإعدادات.
error-invalid-session = تعذّر التحقق من ردّ الخادم، لذا لم يُسجّل دخولك. حاول مجددًا.
error-wrong-account = ذلك الرابط يسجّل الدخول إلى حساب آخر، لا إلى { $email }، لذا لم يُستخدم. افتح الرابط من البريد المرسل إلى { $email }.
error-no-deep-link = لا يستطيع هذا التطبيق فتح روابط الدخول من البريد. سجّل الدخول بالرقم بدلًا من ذلك.
error-signed-out = لست مسجّل الدخول.
error-server-code = رفض خادم تسجيل الدخول ({ $code }). حاول مجددًا.
error-server = حدث خطأ أثناء التواصل مع خادم تسجيل الدخول. حاول مجددًا.

## Notes on a screen

notice-session-ended = انتهت جلستك (انتهت صلاحيتها أو سُجّل الخروج). سجّل الدخول مجددًا.
notice-signed-out-elsewhere = سُجّل خروجك: انتهت الجلسة على الخادم (خروج من مكان آخر، أو انتهاء الصلاحية). سجّل الدخول مجددًا.
notice-no-keyring = لا يستطيع هذا الحاسوب إبقاءك مسجّل الدخول ({ $detail })؛ ستسجّل الدخول في كل مرة تفتح فيها { $app }.
notice-server-not-told-everywhere = سُجّل الخروج على هذا الحاسوب. تعذّر إبلاغ الخادم بإنهاء جلساتك الأخرى ({ $why })؛ ستنتهي عند انتهاء صلاحيتها.
notice-server-not-told = سُجّل الخروج على هذا الحاسوب. تعذّر إبلاغ الخادم ({ $why })؛ تنتهي الجلسة هناك عند انتهاء صلاحيتها.
notice-keyring-not-cleared = سُجّل الخروج، لكن تعذّرت إزالة مدخل سلسلة المفاتيح ({ $detail }).
notice-link-ignored = فُتح رابط تسجيل دخول، لكنه تُجوهل: { $why }.
notice-email-changed = بريدك الآن { $email }.
ignored-not-waiting = لم يكن { $app } ينتظر رابط دخول من بريد هذا الحاسوب
ignored-not-a-link = ليس رابطًا
ignored-not-a-sign-in-link = ليس رابط دخول لـ { $app }
ignored-too-long = الرابط طويل جدًا
ignored-not-one-token = لا يحمل رمز دخول واحدًا بالضبط
ignored-malformed-token = رمز الدخول فيه تالف

## The email screen

mode-legend = الحساب
mode-sign-up-or-in = الدخول أو التسجيل
mode-sign-in = تسجيل الدخول
mode-sign-up = إنشاء حساب
offer-sign-up = إنشاء حساب
offer-sign-in = تسجيل الدخول بدلًا من ذلك
heading-sign-up = إنشاء حساب
heading-sign-in = تسجيل الدخول
email-lead = سنرسل إليك ثلاثة روابط مرقّمة. اضغط على الرابط الذي يحمل الرقم الظاهر في هذه النافذة.
email-label = البريد الإلكتروني
email-placeholder = you@example.com
email-invalid = اكتب عنوان بريد مثل you@example.com.
send-link = إرسال الرابط
sending = جارٍ الإرسال…
retry-new-link = إرسال رابط جديد
retry-start-again = البدء من جديد
retry-try-again = المحاولة مجددًا
retry-in = حاول مجددًا بعد { $time }
retry-in-seconds = حاول مجددًا بعد { $seconds } ث
server-settings = إعدادات الخادم

## Waiting for the tap

wait-lead = افتح البريد على هاتفك واضغط على الرابط رقم
link-number = الرابط رقم { $number }
sent-to = أُرسل إلى { $email }
expires-in = تنتهي صلاحية الرابط خلال { $time }
reconnecting = تعذّر الوصول إلى الخادم — جارٍ إعادة الاتصال…
waiting-for-tap = في انتظار ضغطتك…
cancel = إلغاء
send-new-links = إرسال روابط جديدة
different-email = استخدام بريد آخر
reading-here = تقرأ البريد على هذا الحاسوب؟
help-heading = لم يصل البريد بعد؟
help-text = يأتي من خادم تسجيل الدخول لـ { $app }، بعنوان «رابط تسجيل الدخول إلى { $app }». ابحث في مجلد البريد العشوائي أو غير المرغوب أيضًا؛ بعض الرسائل تستغرق بضع دقائق. يمكنك إرسال روابط جديدة، أو كتابة الرمز من البريد أدناه.
code-show = إدخال الرمز بدلًا من ذلك
code-label = الرمز الموجود في البريد، أسفل الروابط
code-submit = تأكيد الرمز
code-hint = اكتبه هنا فقط، حيث بدأت تسجيل الدخول. ولا تخبر به أحدًا أبدًا.

## Signed in

sign-out = تسجيل الخروج
welcome = أهلًا، { $name }
signed-in = سجّلت الدخول
signed-in-as = مسجّل الدخول باسم { $email }
signed-in-since-today = مسجّل الدخول على هذا الحاسوب منذ { $time }
signed-in-since = مسجّل الدخول على هذا الحاسوب منذ { $day }، { $time }
not-remembered = لا يوجد في هذا الحاسوب سلسلة مفاتيح يستطيع { $app } استخدامها، لذا سيُطلب منك تسجيل الدخول مجددًا في المرة القادمة.
change-email = تغيير البريد
change-label = البريد الجديد
change-placeholder = new@example.com
change-send = إرسال الروابط
change-keep = الإبقاء على بريدي
change-same = هذا بريدك بالفعل.
change-heading = أكّد عنوانك الجديد
change-tap = اضغط على الرابط رقم
change-sent-to = في البريد المرسل إلى { $email }
change-cancel = إلغاء التغيير

## A magic link, and signing back in

magic-heading = تحقّق من بريدك هنا
magic-sent-to = أرسلنا رابط دخول إلى { $address }.
magic-lead = افتحه على هذا الحاسوب وانقر على الرابط: يفتح { $app } ويسجّل دخولك.
use-phone = استخدام هاتفي بدلًا من ذلك
restoring = جارٍ إعادة تسجيل دخولك…
use-another = تسجيل الدخول ببريد آخر

## Said to screen readers

announce-reconnecting = تعذّر الوصول إلى الخادم. جارٍ إعادة الاتصال…
announce-sending = جارٍ إرسال الروابط…
announce-waiting = أُرسلت الروابط إلى { $email }. اضغط على الرابط رقم { $number }.
announce-waiting-reconnecting = تعذّر الوصول إلى الخادم. جارٍ إعادة الاتصال… رقمك ما زال { $number }.
announce-magic = أُرسل رابط الدخول إلى { $address }. افتحه على هذا الحاسوب.
announce-change-sending = جارٍ إرسال الروابط إلى { $email }…
announce-change-waiting = أُرسلت الروابط إلى { $email }. اضغط على الرابط رقم { $number } لتأكيد عنوانك الجديد.
announce-signed-in = مسجّل الدخول باسم { $email }.
settings-saved = حُفظت الإعدادات.

## Settings

base-url-label = عنوان الخادم
base-url-help = خادم beckon-server، مثل { $example }. اتركه فارغًا لسحابة Descope.
project-id-label = معرّف مشروع Descope
project-id-help = لسحابة Descope. اتركه فارغًا لخادم beckon-server، الذي يذكر معرّفه بنفسه.
settings-save = حفظ واستخدام
settings-back = رجوع
settings-from-environment = محدّد بـ BECKON_BASE_URL / BECKON_PROJECT_ID لهذا التشغيل. شغّل { $app } دونهما لتغييره هنا.
language-label = اللغة
language-system = لغة النظام ({ $language })

## Said by the plugin's Rust side (a desktop notification)

notification-title = سجّلت الدخول إلى { $app }
notification-body = سجّلت الدخول باسم { $email }.
