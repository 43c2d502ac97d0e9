# Wegwijs: Türkçe. Kısa cümleler, her cümlede tek bir fikir.

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
still-waiting = Bir insanı bekliyorsunuz. Mesajınız kaydedildi.
supporter-joined = Şimdi { $name } sizinle konuşuyor. { $name } gerçek bir insan.
supporter-left = { $name } sohbetten ayrıldı. Şimdi yine Wegwijs ile konuşuyorsunuz.
conversation-closed = Sohbet bitti. Teşekkürler. İstediğiniz zaman yeniden başlayabilirsiniz.
out-of-hours = Şu anda burada kimse yok. Şu saatlerde buradayız: { $hours }.
nobody-available = Düşündüğümüzden uzun sürüyor. Şu anda boşta kimse yok. Özür dileriz.
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
