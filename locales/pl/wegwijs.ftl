# Wegwijs: polski. Krótkie zdania, jedna myśl w zdaniu.

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
still-waiting = Czekasz na człowieka. Twoja wiadomość jest zapisana.
supporter-joined = Teraz rozmawia z Tobą { $name }. { $name } to prawdziwy człowiek.
supporter-left = { $name } nie jest już na czacie. Znowu rozmawiasz z Wegwijs.
conversation-closed = Rozmowa jest zakończona. Dziękujemy. Zawsze możesz zacząć od nowa.
out-of-hours = Teraz nikogo tu nie ma. Jesteśmy tu w tych godzinach: { $hours }.
nobody-available = To trwa dłużej, niż myśleliśmy. Teraz wszyscy są zajęci. Przepraszamy.
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
