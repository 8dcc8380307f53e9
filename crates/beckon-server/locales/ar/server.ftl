# beckon-server's messages in Arabic (العربية), written right to left.
# Machine-drafted: it wants review by a native speaker before it is relied on
# (TRANSLATING.md). The messages and their variables follow locales/en/server.ftl.
# Numbers, codes and addresses stay in ASCII and left to right.

## Where a request came from ("Is this you?")

origin-where = المكان
origin-address = العنوان
origin-device = الجهاز
origin-when = الوقت
place-this-computer = على هذا الحاسوب (حاسوب الخادم)
place-local-network = على شبكتك المحلية
place-near = بالقرب من { $place } (تقريبًا)
place-unknown = غير معروف
address-unknown = غير معروف
device-unknown = لم يذكر
device-claimed = «{ $device }» (كما يقول عن نفسه؛ لم يُتحقق منه)
when-utc = { $when } بالتوقيت العالمي
ago-just-now = الآن
ago-minutes = { $count ->
    [one] منذ دقيقة واحدة
    [two] منذ دقيقتين
    [few] منذ { $count } دقائق
   *[other] منذ { $count } دقيقة
}
ago-hours = { $count ->
    [one] منذ ساعة واحدة
    [two] منذ ساعتين
    [few] منذ { $count } ساعات
   *[other] منذ { $count } ساعة
}
ago-days = { $count ->
    [one] منذ يوم واحد
    [two] منذ يومين
    [few] منذ { $count } أيام
   *[other] منذ { $count } يومًا
}

## The sign-in email and text message

mail-sign-in-subject = رابط تسجيل الدخول إلى { $app }
mail-confirm-subject = أكّد عنوان بريدك الجديد في { $app }
mail-sign-in-intro = طلب شخص ما تسجيل الدخول إلى { $app } باسم { $address }.
mail-confirm-intro = طلب شخص ما استخدام هذا العنوان في { $app } باسم { $address }.
is-this-you = هل هذا أنت؟
mail-ask-numbered = اضغط على الرابط الذي يحمل الرقم الظاهر على شاشتك:
mail-ask-one = اضغط على الرابط لتسجيل الدخول:
mail-confirm-ask-numbered = اضغط على الرابط الذي يحمل الرقم الظاهر على شاشتك لتأكيده:
mail-confirm-ask-one = اضغط على الرابط لتأكيده:
mail-link-sign-in = تسجيل الدخول
mail-link-confirm = تأكيد
mail-code-intro = لا يعمل أي رابط؟ اكتب هذا الرمز على الشاشة التي بدأ منها تسجيل الدخول:
mail-code-warning = اكتبه هناك فقط، ولا تخبر به أحدًا: لن يحتاج أحد أبدًا أن يطلبه منك.
mail-footer = { $links ->
    [one] تنتهي صلاحية الرابط خلال { $minutes } دقيقة.
   *[other] تنتهي صلاحية الروابط خلال { $minutes } دقيقة.
} إن لم تكن أنت، فتجاهل هذه الرسالة.
sms-sign-in = تسجيل الدخول إلى { $app }
sms-confirm = { $app }: أكّد هذا الرقم
sms-sign-in-subject = تسجيل الدخول إلى { $app } (رسالة نصية)
sms-confirm-subject = تأكيد الرقم في { $app } (رسالة نصية)
sms-code = أو اكتب الرمز { $code } حيث بدأت. لا تخبر به أحدًا.
sms-expires = تنتهي خلال { $minutes } د. لست أنت؟ تجاهلها.
merge-keep-other = التأكيد يدمج حسابين: يُدمج حساب { $requester } في الحساب الذي يسجّل الدخول بـ { $address }، والذي يبقى؛ ويُحذف حساب { $requester }.
merge-keep-mine = التأكيد يدمج حسابين: يُدمج الحساب الذي يسجّل الدخول بـ { $address } في حساب { $requester }، الذي يبقى؛ ومن بعدها يسجّل { $address } الدخول إلى حساب { $requester }، ويُحذف الحساب الآخر.

## "New sign-in to <app>"

notice-subject = تسجيل دخول جديد إلى { $app }
notice-sms-subject = تسجيل دخول جديد إلى { $app } (رسالة نصية)
notice-sms = { $app }: تسجيل دخول جديد { $when }. لست أنت؟ أخرج ذلك الجهاز: { $url }
notice-intro = سُجّل دخول { $address } للتو إلى { $app }. إن كنت أنت، فلا شيء عليك فعله.
the-sign-in = تسجيل الدخول
notice-sign-out = لم أكن أنا: أخرج ذلك الجهاز
notice-footer = احتاج تسجيل الدخول إلى ضغطة على رابط أُرسل إلى هذا العنوان. إن لم تضغط على أي رابط، فربما يقرأ شخص آخر بريدك: غيّر كلمة مروره أيضًا.

## After a "No": sign-ins paused

paused-subject = أُوقف تسجيل الدخول إلى { $app } مؤقتًا بعد إجابتك «لا»
paused-sms-subject = أُوقف تسجيل الدخول إلى { $app } مؤقتًا (رسالة نصية)
paused-sms-declined = { $app }: رفضت تسجيل دخول. لا رسائل دخول جديدة لمدة { $minutes } د. كنت أنت؟ اسمح بها مجددًا: { $url }
paused-sms-signed-out = { $app }: أخرجت جهازًا. لا رسائل دخول جديدة لمدة { $minutes } د. كنت أنت؟ اسمح بها مجددًا: { $url }
paused-intro-declined = أجبت «لا، لم أكن أنا» على طلب لتسجيل الدخول إلى { $app } باسم { $address }.
paused-intro-signed-out = أخرجت جهازًا كان قد سجّل الدخول إلى { $app } باسم { $address }، وطلبت إيقاف تسجيل الدخول مؤقتًا.
paused-heading-declined = الطلب المرفوض
paused-heading-signed-out = تسجيل الدخول الذي أُنهي
paused-what = حتى لا يستطيع أحد مواصلة الطلب، أُنهيت كل الطلبات المفتوحة لهذا العنوان، ولن تُرسل إليه روابط دخول جديدة لمدة { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
allow-again = كنت أنا: اسمح بتسجيل الدخول مجددًا
paused-footer = إن كنت أنت في النهاية، فافتح الرابط أعلاه للسماح بتسجيل الدخول مجددًا. وإلا فلا شيء عليك فعله: لم يسجّل أحد الدخول.

## The confirm page

confirm-title-sign-in = تسجيل الدخول إلى { $app }؟
confirm-title-update = استخدام هذا العنوان في { $app }؟
confirm-link-number = هذا هو الرابط رقم
confirm-only-if = أكّد فقط إن كان حاسوبك يعرض { $number }. إن كان يعرض رقمًا آخر، فعد إلى البريد واضغط على ذلك الرابط بدلًا منه.
confirm-yes-sign-in = نعم، سجّل دخولي
confirm-yes-update = نعم، استخدم هذا العنوان
confirm-who-sign-in = تسجيل الدخول باسم
confirm-who-update = العنوان الجديد
no-not-me = لا، لم أكن أنا
confirm-if-not-you = إن لم تطلب هذا، فاضغط «لا»: يُبلَّغ الحاسوب الذي طلبه، ويتوقف كل رابط في هذا البريد عن العمل. لا يحدث شيء دون ضغطة.

## After an answer

declined-title = رُفض تسجيل الدخول
declined-heading = رُفض: لم يسجّل أحد الدخول
declined-text = توقفت كل الروابط في هذا البريد عن العمل، وأُبلغ حاسوبك. لا يستطيع أحد الدخول دون ضغطة على هاتفك.
declined-note = إن لم تطلب تسجيل الدخول، فقد كتب أحدهم عنوانك: توقف كل رابط دخول أُرسل إليه عن العمل.
declined-note-paused = إن لم تطلب تسجيل الدخول، فقد كتب أحدهم عنوانك: توقف كل رابط دخول أُرسل إليه عن العمل، ولن تُرسل روابط جديدة لمدة { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}. أرسلنا إليك بالبريد طريقة للسماح بها مجددًا إن كنت أنت في النهاية.
waiting-title = في انتظار حاسوبك
waiting-heading = في انتظار حاسوبك…
waiting-sign-in = لقد أكّدت. يسجّل حاسوبك الدخول حالما يعلم؛ أبقِ هذه الصفحة مفتوحة لترى ذلك.
waiting-update = لقد أكّدت العنوان. يعرضه حاسوبك حالما يعلم.
signed-in-title = تم تسجيل الدخول
signed-in-heading = سجّل حاسوبك الدخول
close-page = يمكنك إغلاق هذه الصفحة.
confirmed-title = تم تأكيد العنوان
confirmed-heading = يعرض حاسوبك العنوان الجديد
missed-title = لم يسجّل حاسوبك الدخول
missed-heading = لم يستلم حاسوبك هذا في الوقت المناسب
missed-text = لقد أكّدت، لكن الحاسوب الذي طلب توقف عن الانتظار قبل أن يعلم. لم يسجّل أحد الدخول. ابدأ من جديد على حاسوبك.
wrong-title = رقم خاطئ
wrong-heading = ليس هذا
wrong-ended = هذا هو الرابط { $number }، لكن الحاسوب الذي طلب يعرض رقمًا مختلفًا. انتهى طلب تسجيل الدخول هذا ولم تعد روابطه تعمل: إن كنت أنت، فابدأ من جديد على حاسوبك واضغط على الرابط الذي يحمل الرقم الذي يعرضه.
nothing-signed-in = لم يسجّل أحد الدخول.
wrong-kept = هذا هو الرابط { $number }، لكن حاسوبك يعرض رقمًا مختلفًا. عد إلى البريد واضغط على الرابط الذي يحمل الرقم الظاهر على شاشتك.
wrong-links-work = لم يسجّل أحد الدخول؛ روابطك ما زالت تعمل.
wrong-no-number-heading = لا تعرض أي شاشة رقمًا؟
wrong-no-number = إذن طلب شخص آخر تسجيل الدخول بعنوانك. اضغط «لا»: ينتهي طلبه، ولن يُرسل إليك بريد دخول جديد لفترة.
magic-elsewhere-title = افتح هذا الرابط في التطبيق
magic-elsewhere-text = رابط الدخول هذا يسجّل دخول الجهاز الذي يفتحه، عبر التطبيق الذي طلبه. لا تستطيع هذه الصفحة فعل ذلك، لذا لم يحدث شيء هنا.

## Links that cannot be used

expired-open-title = انتهت صلاحية تسجيل الدخول
expired-open-heading = انتهت صلاحية تسجيل الدخول هذا بينما كانت الصفحة مفتوحة
expired-open-text = لم يسجّل أحد الدخول. ابدأ تسجيل الدخول من جديد على حاسوبك: سيصل بريد جديد، وتعمل روابطه لبضع دقائق.
expired-title = انتهت صلاحية الرابط
expired-heading = انتهت صلاحية هذا الرابط
expired-text = روابط الدخول تدوم بضع دقائق. ابدأ من جديد على حاسوبك وسيصل بريد جديد.
invalid-title = الرابط غير صالح
invalid-heading = لم يعد هذا الرابط صالحًا
invalid-text = استُخدم من قبل، أو انتهت صلاحيته. إن لم تكن قد سجّلت الدخول بعد، فابدأ من جديد على حاسوبك.
disabled-title = الحساب معطّل
disabled-heading = هذا الحساب معطّل
disabled-text = لم يسجّل أحد الدخول. عطّل مسؤول هذا الحساب؛ اطلب منه تفعيله مجددًا.
too-many-title = محاولات كثيرة جدًا
too-many-text = طلب هذا العنوان أو هذه الشبكة مرات كثيرة جدًا. جرّب الرابط مجددًا بعد { $seconds ->
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $seconds } ثوانٍ
   *[other] { $seconds } ثانية
}.
refused-title = لا يمكن تسجيل الدخول
refused-text = لا يمكن استخدام هذا الرابط (الخطأ { $code }). ابدأ من جديد على حاسوبك.
failed-title = حدث خطأ ما
failed-text = لم يستطع الخادم التحقق من هذا الرابط. حاول مجددًا بعد لحظة.
notice-invalid-text = انتهى تسجيل الدخول الذي يخصه. لإخراج كل الأجهزة، استخدم خيار الخروج في التطبيق نفسه، أو اسأل من يدير خادم تسجيل الدخول لديك.
no-pause-title = لا يوجد إيقاف لرفعه
no-pause-heading = تسجيل الدخول غير موقوف
no-pause-text = انتهى الإيقاف أو رُفع من قبل: تُرسل روابط الدخول مجددًا. ابدأ تسجيل الدخول على حاسوبك.

## Lifting a pause, signing a device out

allow-title = السماح بتسجيل الدخول مجددًا؟
allow-text = بعد «لا، لم أكن أنا»، لن تُرسل روابط دخول إلى { $address } لمدة { $minutes ->
    [one] دقيقة واحدة أخرى
    [two] دقيقتين أخريين
    [few] { $minutes } دقائق أخرى
   *[other] { $minutes } دقيقة أخرى
}. إن كان تسجيل الدخول الذي رفضته أنت في النهاية، فاسمح به مجددًا الآن.
allow-leave = إن لم يكن تسجيل الدخول الذي رفضته أنت، فغادر هذه الصفحة: ينتهي الإيقاف من تلقاء نفسه، ولم يسجّل أحد الدخول.
allowed-title = سُمح بتسجيل الدخول مجددًا
allowed-text = ابدأ تسجيل الدخول من جديد على حاسوبك: سيصل بريد جديد.
signout-title = إخراج ذلك الجهاز؟
signout-text = هذا يُخرج الجهاز الذي سجّل الدخول إلى { $app } باسم { $address }. تبقى أجهزتك الأخرى مسجّلة الدخول.
signout-button = أخرج ذلك الجهاز
signout-leave = إن كنت أنت، فغادر هذه الصفحة: لا يتغير شيء حتى تضغط الزر.
signout-pause-button = أوقف تسجيل الدخول أيضًا لمدة { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}
signout-pause-about = الإيقاف يمنع رسائل الدخول الجديدة إلى هذا العنوان لفترة، حتى لا يستطيع أحد مواصلة الطلب. سنرسل إليك طريقة للسماح بها مجددًا.
signout-already-title = خرج من قبل
signout-already-heading = خرج ذلك الجهاز من قبل
signout-again = عليه أن يسجّل الدخول من جديد، وهذا يحتاج إلى ضغطة على رابط يُرسل إليك.
signout-paused-title = أُوقف تسجيل الدخول مؤقتًا
signout-paused-heading = خرج الجهاز، وأُوقف تسجيل الدخول مؤقتًا
signout-paused-text = لن تُرسل رسائل دخول جديدة إلى هذا العنوان لمدة { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}. أرسلنا إليك طريقة للسماح بها مجددًا.
signout-paused-already = رسائل الدخول إلى هذا العنوان موقوفة مؤقتًا من قبل.
signout-done-title = خرج
signout-done-heading = خرج ذلك الجهاز
signout-done-text = عليه أن يسجّل الدخول من جديد، وهذا يحتاج إلى ضغطة على رابط يُرسل إليك. إن لم تطلب أي تسجيل دخول، فربما يقرأ شخص آخر بريدك: غيّر كلمة مروره.
