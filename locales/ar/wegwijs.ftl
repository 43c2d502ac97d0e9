# Wegwijs: العربية. جمل قصيرة، فكرة واحدة في كل جملة.
# Written by the Wegwijs team: needs review by a native speaker.

## المحادثة (engine)
greeting = مرحبًا! أنا Wegwijs. أساعدك في إيجاد المساعدة المناسبة. اكتب سؤالك. أو اضغط على صورة.
choose-language = اختر لغتك.
language-set = سأتحدث معك الآن باللغة { $language }.
home-menu = ما موضوع سؤالك؟ اضغط على صورة.
submenu = { $area }: ما المناسب لك؟
service-intro = يمكنك أن تذهب إلى: { $service }.
ask-feedback = هل يساعدك هذا؟
feedback-thanks = جيد! هل عندك سؤال آخر؟ اضغط على صورة أو اكتب سؤالك.
feedback-sorry = عذرًا. هل يناسبك شيء من هذه أكثر؟ أو تحدث مع شخص.
clarify = لا أعرف بالضبط. هل تقصد واحدًا من هذه؟
not-understood = لم أفهم ذلك جيدًا. اضغط على صورة. أو اكتب سؤالك بطريقة أخرى.
not-understood-again = ما زلت لا أفهمك. عذرًا. هل تريد أن تتحدث مع شخص؟
out-of-scope = لا أستطيع المساعدة في هذا. أنا أساعد في: المال، الرعاية، السكن، العمل، المدرسة، الأمان.
crisis-card = هل أنت في خطر؟ أو هل شخص آخر في خطر؟ اتصل الآن بالرقم 112. هل تفكر في الانتحار؟ اتصل بالرقم 113 أو بالرقم المجاني 0800-0113. يمكنك الاتصال في الليل والنهار. هل البيت غير آمن لك؟ اتصل بمنظمة Veilig Thuis (مساعدة ضد العنف في البيت): 0800-2000.
queued = أبحث لك عن شخص. دورك رقم { $position }. وقت الانتظار بالدقائق: حوالي { $minutes }.
queued-crisis = أبحث لك عن شخص الآن فورًا. دورك رقم { $position }. ابقَ في هذه المحادثة.
queued-crisis-unstaffed = لا يوجد أحد من موظفينا الآن. اتصل بالرقم 112 إذا كان هناك خطر الآن. اتصل بالرقم 113 أو 0800-0113 للتحدث، في الليل والنهار. رقمك في الدور { $position }: أول موظف يأتي سيقرأ رسالتك.
still-waiting = أنت تنتظر شخصًا. رسالتك محفوظة.
supporter-joined = أنت تتحدث الآن مع { $name }. { $name } شخص حقيقي.
supporter-left = انتهى الحديث مع { $name }. أنت تتحدث مع Wegwijs مرة أخرى.
tap-passed-on = { $name } يرى ما ضغطت عليه. هل تريد أن توقف المحادثة؟ اضغط على إنهاء.
conversation-closed = انتهت المحادثة. شكرًا لك. يمكنك أن تبدأ من جديد في أي وقت.
out-of-hours = لا يوجد أحد هنا الآن. نحن هنا في هذه الأوقات: { $hours }.
nobody-available = يستغرق هذا وقتًا أطول مما ظننا. لا يوجد أحد متاح الآن. عذرًا.
nobody-available-crisis = لا يزال لا يوجد أحد من موظفينا. لا تنتظرنا. اتصل الآن بالرقم 112 أو 113. ستبقى في القائمة.
ask-consent = هل تريد أن تترك سؤالك ورقم هاتفك؟ عندها نتصل بك. نحفظ ذلك لهذا السبب فقط.
leave-contact = اكتب سؤالك. واكتب أيضًا رقم هاتفك أو بريدك الإلكتروني.
contact-saved = شكرًا لك. سنتواصل معك.
no-consent = حسنًا. لا نحفظ أي شيء. يمكنك العودة في أي وقت.
confirm-delete = هل تريد حذف هذه المحادثة؟ عندها سيُحذف كل شيء.
deleted = تم حذف محادثتك.
delete-cancelled = حسنًا. لم نحذف محادثتك.
goodbye = مع السلامة! يمكنك العودة في أي وقت.
unknown-choice = لا أعرف هذا الاختيار. اختر مرة أخرى.
too-long = رسالتك طويلة جدًا. اكتبها أقصر. الحد الأقصى { $max } حرف.
supporter-message = رسالة من { $name }:

## الأزرار
btn-yes = نعم
btn-no = لا
btn-person = تحدث مع شخص
btn-back = رجوع
btn-home = البداية
btn-stop = إنهاء
btn-delete = حذف
btn-cancel = لا تحذف
btn-call = اتصال

## تيليغرام (bot)
tg-private-only = أعمل فقط في محادثة خاصة معك. أرسل لي رسالة في محادثة خاصة.
tg-not-text = لا أستطيع قراءة هذا. أقرأ النص فقط. اكتب سؤالك. أو اضغط على صورة.
tg-not-text-person = لا أستطيع إرسال هذا. من فضلك اكتب رسالتك.
tg-stale-button = هذا الزر لا يعمل الآن. اختر مرة أخرى.
tg-with-person = أنت تتحدث الآن مع شخص. اكتب رسالتك.
tg-error = حدث خطأ. عذرًا. من فضلك حاول مرة أخرى.
tg-help =
    اكتب سؤالك. أو اضغط على صورة.
    /mens: تحدث مع شخص
    /taal: اختر لغتك
    /menu: شاهد الصور
    /stop: أنهِ المحادثة
    /vergeet: احذف محادثتك
tg-cmd-start = ابدأ
tg-cmd-menu = شاهد الصور
tg-cmd-mens = تحدث مع شخص
tg-cmd-taal = اختر لغتك
tg-cmd-stop = أنهِ المحادثة
tg-cmd-vergeet = احذف محادثتك
tg-card-when = هذا لك إذا:
tg-card-steps = ماذا يمكنك أن تفعل؟
tg-card-bring = خذ معك:
tg-card-phone = اتصل بـ { $organisation }: { $phone }
tg-card-hours = مفتوح: { $hours }
tg-card-open-now = مفتوح الآن.
tg-card-closed-now = مغلق الآن.
tg-card-demo = انتبه: هذا مثال (demo). هذه المعلومات ليست حقيقية.

## أداة الموقع ولوحة التحكم (web-widget)
web-launcher = ابحث عن مساعدة
web-title = Wegwijs
web-subtitle = لنجد المساعدة المناسبة معًا
web-close = إغلاق
web-mode-label = طريقة العرض
web-mode-pictures = صور
web-mode-text = نص
web-larger-text = خط أكبر
web-language = اللغة
web-input-label = اكتب سؤالك
web-send = إرسال
web-read-aloud = اقرأ بصوت عالٍ
web-you = أنت
web-you-chose = اخترت: { $choice }
web-choices = اختر صورة
web-nav = التنقل
web-log = المحادثة
web-person-joined = أنت تتحدث الآن مع { $name }. هذا شخص حقيقي.
web-typing = { $name } يكتب الآن…
web-waiting = أنت تنتظر شخصًا. رقمك { $position }. يستغرق ذلك حوالي { $minutes } دقيقة.
web-waiting-unstaffed = لا يوجد موظف الآن. اتصل بالرقم 112 أو 113. رقمك { $position }.
web-privacy = نحتفظ بمحادثتك 30 يومًا. بعد ذلك نحذف النص. يمكنك أيضًا حذفها بنفسك.
web-delete = احذف محادثتي
web-about = عن Wegwijs
web-about-text = يساعدك Wegwijs على إيجاد المساعدة المناسبة في بلديتك. Wegwijs حاسوب. هل تريد التحدث مع شخص؟ استخدم الزر في الأسفل.
web-card-call = اتصل
web-card-hours = ساعات العمل
web-card-open-now = مفتوح الآن
web-card-closed-now = مغلق الآن
web-card-when = متى؟
web-card-steps = ماذا يمكنك أن تفعل؟
web-card-bring = أحضر معك
web-card-website = الموقع
web-card-demo = مثال: هذه البيانات غير حقيقية.
web-error = حدث خطأ. حاول مرة أخرى.
web-rate-limited = أنت ترسل رسائل كثيرة بسرعة. انتظر قليلًا ثم حاول مرة أخرى.
web-offline = لا يوجد اتصال. حاول بعد قليل.
web-new-conversation = محادثة جديدة
web-canned-moment = أنا أبحث لك الآن. انتظر لحظة من فضلك.
web-canned-more = هل يمكنك أن تخبرني أكثر عن سؤالك؟
web-canned-call = هل تريد أن نتصل بك؟ اكتب رقم هاتفك.
web-canned-service = سأعطيك رقم الجهة المناسبة. يمكنك الاتصال بهم.
web-canned-bye = شكرًا لسؤالك. بالتوفيق! يمكنك العودة في أي وقت.

## Telegram: القراءة بصوت عالٍ (/voorlezen, WEGWIJS_TELEGRAM_VOICE)
tg-cmd-voorlezen = تشغيل القراءة بصوت عالٍ أو إيقافها
tg-voice-on = القراءة بصوت عالٍ مفعّلة. ستصلك إجاباتي أيضًا كصوت. لا تريد ذلك؟ أرسل /voorlezen.
tg-voice-off = القراءة بصوت عالٍ متوقفة. هل تريد تشغيلها مرة أخرى؟ أرسل /voorlezen.
tg-voice-no-lang = لا أستطيع القراءة بصوت عالٍ بهذه اللغة. عذرًا.
tg-voice-link = موقع إلكتروني
