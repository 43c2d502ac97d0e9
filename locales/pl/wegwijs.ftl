# Wegwijs: polski. Krótkie zdania, jedna myśl w zdaniu.
# Written by the Wegwijs team: needs review by a native speaker.

## Rozmowa (engine)
greeting = Dzień dobry! Jestem Wegwijs. Pomagam Ci znaleźć dobrą pomoc. Napisz swoje pytanie. Albo kliknij obrazek.
choose-language = Wybierz swój język.
language-set = Wybrany język: { $language }. Teraz rozmawiam z Tobą w tym języku.
home-menu = O co chcesz zapytać? Kliknij obrazek.
submenu = { $area }: co do Ciebie pasuje?
service-intro = Tutaj możesz się zgłosić: { $service }.
ask-feedback = Czy to Ci pomaga?
feedback-thanks = Świetnie! Masz jeszcze jakieś pytanie? Kliknij obrazek albo napisz pytanie.
feedback-sorry = Przykro mi. Czy coś z tego pasuje lepiej? Albo porozmawiaj z człowiekiem.
clarify = Nie wiem na pewno. Czy chodzi Ci o coś z tego?
not-understood = Nie rozumiem tego dobrze. Kliknij obrazek. Albo napisz pytanie inaczej.
not-understood-again = Nadal Cię nie rozumiem. Przepraszam. Chcesz porozmawiać z człowiekiem?
out-of-scope = W tym nie mogę Ci pomóc. Pomagam w tych sprawach: pieniądze, opieka, mieszkanie, praca, szkoła i bezpieczeństwo.
crisis-card = Jesteś w niebezpieczeństwie? Albo ktoś inny jest w niebezpieczeństwie? Zadzwoń teraz pod 112. Myślisz o samobójstwie? Zadzwoń pod 113 albo za darmo pod 0800-0113. Możesz dzwonić w dzień i w nocy. W domu nie jest bezpiecznie? Zadzwoń do Veilig Thuis (pomoc przy przemocy w domu): 0800-2000.
queued = Szukam dla Ciebie człowieka. Twój numer w kolejce: { $position }. To potrwa około { $minutes } min.
queued-crisis = Już szukam dla Ciebie człowieka. Twój numer w kolejce: { $position }. Zostań na tym czacie.
queued-crisis-unstaffed = Teraz nie ma nikogo z naszych pracowników. Zadzwoń pod 112, jeśli teraz jest niebezpiecznie. Zadzwoń pod 113 lub 0800-0113, aby porozmawiać, w dzień i w nocy. Twój numer w kolejce: { $position }. Pierwsza osoba, która przyjdzie, przeczyta Twoją wiadomość.
still-waiting = Czekasz na człowieka. Twoja wiadomość jest zapisana.
supporter-joined = Teraz rozmawia z Tobą { $name }. { $name } to prawdziwy człowiek.
supporter-left = { $name } nie jest już na czacie. Znowu rozmawiasz z Wegwijs.
tap-passed-on = { $name } widzi, co kliknąłeś. Chcesz skończyć rozmowę? Kliknij Zakończ.
conversation-closed = Rozmowa jest zakończona. Dziękujemy. Zawsze możesz zacząć od nowa.
out-of-hours = Teraz nikogo tu nie ma. Jesteśmy tu w tych godzinach: { $hours }.
nobody-available = To trwa dłużej, niż myśleliśmy. Teraz wszyscy są zajęci. Przepraszamy.
nobody-available-crisis = Nadal nie ma nikogo z naszych pracowników. Nie czekaj na nas. Zadzwoń teraz pod 112 lub 113. Zostajesz na liście.
ask-consent = Chcesz zostawić swoje pytanie i numer telefonu? Wtedy oddzwonimy do Ciebie. Zapiszemy je tylko po to.
leave-contact = Napisz swoje pytanie. Napisz też swój numer telefonu albo e-mail.
contact-saved = Dziękujemy. Skontaktujemy się z Tobą.
no-consent = Dobrze. Nic nie zapisujemy. Wróć, kiedy chcesz.
confirm-delete = Chcesz usunąć tę rozmowę? Wtedy wszystko zniknie.
deleted = Twoja rozmowa jest usunięta.
delete-cancelled = Dobrze. Nie usuwamy Twojej rozmowy.
goodbye = Do widzenia! Zawsze możesz wrócić.
unknown-choice = Nie znam tego wyboru. Wybierz jeszcze raz.
too-long = Twoja wiadomość jest za długa. Napisz krócej, maksymalnie { $max } znaków.
supporter-message = { $name } pisze:

## Przyciski
btn-yes = Tak
btn-no = Nie
btn-person = Porozmawiaj z człowiekiem
btn-back = Wstecz
btn-home = Start
btn-stop = Zakończ
btn-delete = Usuń
btn-cancel = Nie usuwaj
btn-call = Zadzwoń

## Telegram (bot)
tg-private-only = Działam tylko w prywatnej rozmowie z Tobą. Napisz do mnie w prywatnej rozmowie.
tg-not-text = Nie umiem tego przeczytać. Czytam tylko tekst. Napisz swoje pytanie. Albo kliknij obrazek.
tg-not-text-person = Nie mogę tego przekazać. Napisz swoją wiadomość.
tg-stale-button = Ten przycisk już nie działa. Wybierz jeszcze raz.
tg-with-person = Teraz rozmawiasz z człowiekiem. Napisz swoją wiadomość.
tg-error = Coś poszło nie tak. Przepraszam. Spróbuj jeszcze raz.
tg-help =
    Napisz swoje pytanie. Albo kliknij obrazek.
    /mens: porozmawiaj z człowiekiem
    /taal: wybierz swój język
    /menu: zobacz obrazki
    /stop: zakończ rozmowę
    /vergeet: usuń swoją rozmowę
tg-cmd-start = Zacznij
tg-cmd-menu = Zobacz obrazki
tg-cmd-mens = Porozmawiaj z człowiekiem
tg-cmd-taal = Wybierz swój język
tg-cmd-stop = Zakończ rozmowę
tg-cmd-vergeet = Usuń swoją rozmowę
tg-card-when = To jest dla Ciebie, jeśli:
tg-card-steps = Co możesz zrobić?
tg-card-bring = Weź ze sobą:
tg-card-phone = Zadzwoń: { $organisation }, { $phone }
tg-card-hours = Otwarte: { $hours }
tg-card-open-now = Teraz otwarte.
tg-card-closed-now = Teraz zamknięte.
tg-card-demo = Uwaga: to jest przykład (demo). Te dane nie są prawdziwe.

## Widżet na stronę i konsola (web-widget)
web-launcher = Znajdź pomoc
web-title = Wegwijs
web-subtitle = Razem znajdziemy właściwą pomoc
web-close = Zamknij
web-mode-label = Widok
web-mode-pictures = Obrazki
web-mode-text = Tekst
web-larger-text = Większe litery
web-language = Język
web-input-label = Wpisz swoje pytanie
web-send = Wyślij
web-read-aloud = Przeczytaj na głos
web-you = Ty
web-you-chose = Wybrano: { $choice }
web-choices = Wybierz obrazek
web-nav = Nawigacja
web-log = Rozmowa
web-person-joined = Teraz rozmawiasz z: { $name }. To jest człowiek.
web-typing = { $name } pisze…
web-waiting = Czekasz na człowieka. Twój numer: { $position }. To potrwa około { $minutes } minut.
web-waiting-unstaffed = Teraz nie ma pracownika. Zadzwoń pod 112 lub 113. Twój numer: { $position }.
web-privacy = Przechowujemy twoją rozmowę przez 30 dni. Potem usuwamy tekst. Możesz też sam ją usunąć.
web-delete = Usuń moją rozmowę
web-about = O Wegwijs
web-about-text = Wegwijs pomaga znaleźć właściwą pomoc w twojej gminie. Wegwijs to komputer. Chcesz porozmawiać z człowiekiem? Użyj przycisku na dole.
web-card-call = Zadzwoń
web-card-hours = Godziny otwarcia
web-card-open-now = Teraz otwarte
web-card-closed-now = Teraz zamknięte
web-card-when = Kiedy?
web-card-steps = Co możesz zrobić?
web-card-bring = Weź ze sobą
web-card-website = Strona
web-card-demo = Przykład: te dane są zmyślone.
web-error = Coś poszło nie tak. Spróbuj jeszcze raz.
web-rate-limited = Wysyłasz dużo wiadomości naraz. Poczekaj chwilę i spróbuj ponownie.
web-offline = Brak połączenia. Spróbuj za chwilę.
web-new-conversation = Nowa rozmowa
web-canned-moment = Sprawdzam to dla ciebie. Poczekaj chwilę.
web-canned-more = Czy możesz powiedzieć coś więcej o swoim pytaniu?
web-canned-call = Czy mamy do ciebie zadzwonić? Wpisz swój numer telefonu.
web-canned-service = Podam ci numer właściwej pomocy. Możesz do nich zadzwonić.
web-canned-bye = Dziękuję za pytanie. Powodzenia! Zawsze możesz wrócić.

## Telegram: czytanie na głos (/voorlezen, WEGWIJS_TELEGRAM_VOICE)
tg-cmd-voorlezen = Włącz lub wyłącz czytanie na głos
tg-voice-on = Czytanie na głos jest włączone. Moje odpowiedzi dostaniesz też jako dźwięk. Nie chcesz tego? Wyślij /voorlezen.
tg-voice-off = Czytanie na głos jest wyłączone. Chcesz je znowu włączyć? Wyślij /voorlezen.
tg-voice-no-lang = Nie mogę czytać na głos w tym języku. Przepraszam.
tg-voice-link = strona internetowa
