# Wegwijs: Türkçe. Kısa cümleler, her cümlede tek bir fikir.
# Written by the Wegwijs team: needs review by a native speaker.

## Konuşma (engine)
greeting = Merhaba! Ben Wegwijs. Doğru yardımı bulmanıza yardım ederim. Sorunuzu yazın. Ya da bir resme dokunun.
choose-language = Dilinizi seçin.
language-set = Artık sizinle { $language } konuşuyorum.
home-menu = Sorunuz ne hakkında? Bir resme dokunun.
submenu = { $area }: size hangisi uygun?
service-intro = Buraya gidebilirsiniz: { $service }.
ask-feedback = Bu size yardımcı oldu mu?
feedback-thanks = Güzel! Başka bir sorunuz var mı? Bir resme dokunun ya da sorunuzu yazın.
feedback-sorry = Üzgünüm. Bunlardan biri daha uygun mu? Ya da bir insanla konuşun.
clarify = Emin değilim. Bunlardan birini mi demek istiyorsunuz?
not-understood = Bunu iyi anlamadım. Bir resme dokunun. Ya da sorunuzu başka bir şekilde yazın.
not-understood-again = Sizi hâlâ anlamıyorum. Özür dilerim. Bir insanla konuşmak ister misiniz?
out-of-scope = Bu konuda size yardım edemem. Şu konularda yardım ederim: para, bakım, ev, iş, okul ve güvenlik.
crisis-card = Tehlikede misiniz? Ya da başka biri tehlikede mi? Hemen 112'yi arayın. İntihar etmeyi düşünüyor musunuz? 113'ü ya da ücretsiz 0800-0113'ü arayın. Gece gündüz arayabilirsiniz. Evde güvende değil misiniz? Veilig Thuis (ev içi şiddet yardımı) hattını arayın: 0800-2000.
queued = Sizin için bir insan arıyorum. Sıra numaranız: { $position }. Yaklaşık { $minutes } dakika sürer.
queued-crisis = Hemen sizin için bir insan arıyorum. Sıra numaranız: { $position }. Bu sohbette kalın.
queued-crisis-unstaffed = Şu anda çalışanlarımızdan kimse yok. Şu an tehlike varsa 112'yi arayın. Konuşmak için gece gündüz 113'ü ya da 0800-0113'ü arayın. Sıra numaranız: { $position }. İlk gelen çalışan mesajınızı okur.
still-waiting = Bir insanı bekliyorsunuz. Mesajınız kaydedildi.
supporter-joined = Şimdi { $name } sizinle konuşuyor. { $name } gerçek bir insan.
supporter-left = { $name } sohbetten ayrıldı. Şimdi yine Wegwijs ile konuşuyorsunuz.
tap-passed-on = { $name } neye dokunduğunuzu görüyor. Konuşmayı bitirmek mi istiyorsunuz? Bitir'e dokunun.
conversation-closed = Sohbet bitti. Teşekkürler. İstediğiniz zaman yeniden başlayabilirsiniz.
out-of-hours = Şu anda burada kimse yok. Şu saatlerde buradayız: { $hours }.
nobody-available = Düşündüğümüzden uzun sürüyor. Şu anda boşta kimse yok. Özür dileriz.
nobody-available-crisis = Hâlâ çalışanlarımızdan kimse yok. Bizi beklemeyin. Şimdi 112'yi ya da 113'ü arayın. Listede kalıyorsunuz.
ask-consent = Sorunuzu ve telefon numaranızı bırakmak ister misiniz? O zaman sizi geri ararız. Bu bilgileri sadece bunun için saklarız.
leave-contact = Sorunuzu yazın. Telefon numaranızı ya da e-posta adresinizi de yazın.
contact-saved = Teşekkürler. Size ulaşacağız.
no-consent = Tamam. Hiçbir şey saklamıyoruz. İstediğiniz zaman geri gelin.
confirm-delete = Bu sohbeti silmek ister misiniz? O zaman her şey silinir.
deleted = Sohbetiniz silindi.
delete-cancelled = Tamam. Sohbetiniz silinmedi.
goodbye = Hoşça kalın! İstediğiniz zaman geri gelebilirsiniz.
unknown-choice = Bu seçeneği bilmiyorum. Yeniden seçin.
too-long = Mesajınız çok uzun. Daha kısa yazın. En fazla { $max } karakter yazabilirsiniz.
supporter-message = { $name } yazıyor:

## Düğmeler
btn-yes = Evet
btn-no = Hayır
btn-person = Bir insanla konuş
btn-back = Geri
btn-home = Başa dön
btn-stop = Bitir
btn-delete = Sil
btn-cancel = Silmeyin
btn-call = Ara

## Telegram (bot)
tg-private-only = Sadece sizinle özel sohbette çalışırım. Bana özel bir mesaj gönderin.
tg-not-text = Bunu okuyamıyorum. Sadece yazı okurum. Sorunuzu yazın. Ya da bir resme dokunun.
tg-not-text-person = Bunu iletemiyorum. Lütfen mesajınızı yazın.
tg-stale-button = Bu düğme artık çalışmıyor. Yeniden seçin.
tg-with-person = Şimdi bir insanla konuşuyorsunuz. Mesajınızı yazın.
tg-error = Bir sorun oldu. Özür dilerim. Lütfen tekrar deneyin.
tg-help =
    Sorunuzu yazın. Ya da bir resme dokunun.
    /mens: bir insanla konuşun
    /taal: dilinizi seçin
    /menu: resimleri görün
    /stop: sohbeti bitirin
    /vergeet: sohbetinizi silin
tg-cmd-start = Başla
tg-cmd-menu = Resimleri gör
tg-cmd-mens = Bir insanla konuş
tg-cmd-taal = Dilini seç
tg-cmd-stop = Sohbeti bitir
tg-cmd-vergeet = Sohbetini sil
tg-card-when = Bu sizin için, eğer:
tg-card-steps = Ne yapabilirsiniz?
tg-card-bring = Yanınıza alın:
tg-card-phone = Arayın: { $organisation }, { $phone }
tg-card-hours = Açık: { $hours }
tg-card-open-now = Şu an açık.
tg-card-closed-now = Şu an kapalı.
tg-card-demo = Dikkat: bu bir örnek (demo). Bu bilgiler gerçek değil.

## Web sitesi widget'ı ve konsol (web-widget)
web-launcher = Yardım bul
web-title = Wegwijs
web-subtitle = Doğru yardımı birlikte bulalım
web-close = Kapat
web-mode-label = Görünüm
web-mode-pictures = Resimler
web-mode-text = Metin
web-larger-text = Büyük yazı
web-language = Dil
web-input-label = Sorunu yaz
web-send = Gönder
web-read-aloud = Sesli oku
web-you = Sen
web-you-chose = Seçtiğin: { $choice }
web-choices = Bir resim seç
web-nav = Gezinme
web-log = Konuşma
web-person-joined = Şimdi { $name } ile konuşuyorsun. Bu bir insan.
web-typing = { $name } yazıyor…
web-waiting = Bir insanı bekliyorsun. Sıran: { $position }. Yaklaşık { $minutes } dakika sürer.
web-waiting-unstaffed = Şu anda çalışan yok. 112'yi ya da 113'ü arayın. Sıranız: { $position }.
web-privacy = Konuşmanı 30 gün saklıyoruz. Sonra metni siliyoruz. Sen de silebilirsin.
web-delete = Konuşmamı sil
web-about = Wegwijs hakkında
web-about-text = Wegwijs, belediyende doğru yardımı bulmana yardım eder. Wegwijs bir bilgisayardır. Bir insanla konuşmak mı istiyorsun? Alttaki düğmeyi kullan.
web-card-call = Ara
web-card-hours = Açık olduğu saatler
web-card-open-now = Şu an açık
web-card-closed-now = Şu an kapalı
web-card-when = Ne zaman?
web-card-steps = Ne yapabilirsin?
web-card-bring = Yanında getir
web-card-website = Web sitesi
web-card-demo = Örnek: bu bilgiler uydurmadır.
web-error = Bir sorun oldu. Lütfen tekrar dene.
web-rate-limited = Çok hızlı mesaj gönderiyorsun. Biraz bekle, sonra tekrar dene.
web-offline = Bağlantı yok. Birazdan tekrar dene.
web-new-conversation = Yeni konuşma
web-canned-moment = Senin için bakıyorum. Lütfen biraz bekle.
web-canned-more = Sorunu biraz daha anlatabilir misin?
web-canned-call = Seni aramamızı ister misin? O zaman telefon numaranı yaz.
web-canned-service = Sana doğru yardımın numarasını veriyorum. Onları arayabilirsin.
web-canned-bye = Sorduğun için teşekkürler. İyi şanslar! Her zaman geri gelebilirsin.

## Telegram: sesli okuma (/voorlezen, WEGWIJS_TELEGRAM_VOICE)
tg-cmd-voorlezen = Sesli okumayı aç veya kapat
tg-voice-on = Sesli okuma açık. Cevaplarımı ses olarak da alırsınız. İstemiyor musunuz? /voorlezen gönderin.
tg-voice-off = Sesli okuma kapalı. Tekrar açmak için /voorlezen gönderin.
tg-voice-no-lang = Bu dilde sesli okuyamıyorum. Özür dilerim.
tg-voice-link = web sitesi
