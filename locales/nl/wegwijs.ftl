# Wegwijs: Nederlands. Korte zinnen, één idee per zin.

## Gesprek (engine)
greeting = Hallo! Ik ben Wegwijs. Ik help je de juiste hulp te vinden. Typ je vraag. Of tik op een plaatje.
choose-language = Kies je taal.
language-set = Ik praat nu { $language } met je.
home-menu = Waar gaat je vraag over? Tik op een plaatje.
submenu = { $area }: wat past bij jou?
service-intro = Hier kun je terecht: { $service }.
ask-feedback = Heb je hier iets aan?
feedback-thanks = Fijn! Heb je nog een vraag? Kies een plaatje of typ je vraag.
feedback-sorry = Jammer. Past een van deze beter? Of praat met een mens.
clarify = Ik weet het niet zeker. Bedoel je een van deze?
not-understood = Dat begrijp ik niet goed. Kies een plaatje. Of typ je vraag anders.
not-understood-again = Ik begrijp je nog steeds niet. Sorry. Wil je met een mens praten?
out-of-scope = Daar kan ik je niet mee helpen. Ik help met geld, zorg, wonen, werk, school en veiligheid.
crisis-card = Ben je in gevaar? Of is iemand anders in gevaar? Bel dan nu 112. Denk je aan zelfmoord? Bel 113 of gratis 0800-0113. Dat kan dag en nacht. Is het thuis niet veilig? Bel Veilig Thuis: 0800-2000.
queued = Ik zoek een mens voor je. Je bent nummer { $position }. Het duurt ongeveer { $minutes } minuten.
queued-crisis = Ik zoek nu meteen een mens voor je. Je bent nummer { $position }. Blijf in dit gesprek.
still-waiting = Je wacht op een mens. Je bericht is bewaard.
supporter-joined = { $name } praat nu met je. { $name } is een mens.
supporter-left = { $name } is weg. Je praat weer met Wegwijs.
conversation-closed = Het gesprek is klaar. Bedankt. Je kunt altijd opnieuw beginnen.
out-of-hours = Er is nu niemand. Wij zijn er op: { $hours }.
nobody-available = Het duurt langer dan we dachten. Er is nu niemand vrij. Sorry.
ask-consent = Wil je je vraag en je telefoonnummer achterlaten? Dan bellen wij je terug. We bewaren dat alleen hiervoor.
leave-contact = Typ je vraag. Typ ook je telefoonnummer of e-mail.
contact-saved = Dank je. We nemen contact met je op.
no-consent = Goed. We bewaren niets. Kom gerust terug.
confirm-delete = Wil je dit gesprek wissen? Alles wordt dan weggegooid.
deleted = Je gesprek is gewist.
delete-cancelled = Goed. Je gesprek blijft bewaard.
goodbye = Tot ziens! Je kunt altijd terugkomen.
unknown-choice = Die keuze ken ik niet. Kies opnieuw.
too-long = Je bericht is te lang. Maak het korter, tot { $max } tekens.
supporter-message = { $name } schrijft:

## Knoppen
btn-yes = Ja
btn-no = Nee
btn-person = Praat met een mens
btn-back = Terug
btn-home = Begin
btn-stop = Stop
btn-delete = Wissen
btn-cancel = Niet wissen
btn-call = Bellen

## Telegram (bot)
tg-private-only = Ik werk alleen in een eigen gesprek met jou. Stuur mij een bericht in een privégesprek.
tg-not-text = Dat kan ik niet lezen. Ik lees alleen tekst. Typ je vraag. Of tik op een plaatje.
tg-not-text-person = Dat kan ik niet doorsturen. Typ je bericht.
tg-stale-button = Deze knop werkt niet meer. Kies opnieuw.
tg-with-person = Je praat nu met een mens. Typ je bericht.
tg-error = Er ging iets mis. Sorry. Probeer het nog een keer.
tg-help =
    Typ je vraag. Of tik op een plaatje.
    /mens: praat met een mens
    /taal: kies je taal
    /menu: zie de plaatjes
    /stop: stop het gesprek
    /vergeet: wis je gesprek
tg-cmd-start = Begin
tg-cmd-menu = Zie de plaatjes
tg-cmd-mens = Praat met een mens
tg-cmd-taal = Kies je taal
tg-cmd-stop = Stop het gesprek
tg-cmd-vergeet = Wis je gesprek
tg-card-when = Dit is voor jou als:
tg-card-steps = Wat kun je doen?
tg-card-bring = Neem mee:
tg-card-phone = Bel { $organisation }: { $phone }
tg-card-hours = Open: { $hours }
tg-card-open-now = Nu open.
tg-card-closed-now = Nu dicht.
tg-card-demo = Let op: dit is een voorbeeld (demo). Deze gegevens zijn niet echt.

## Website-widget en console (web-widget)
web-launcher = Hulp zoeken
web-title = Wegwijs
web-subtitle = Samen de juiste hulp vinden
web-close = Sluiten
web-mode-label = Weergave
web-mode-pictures = Plaatjes
web-mode-text = Tekst
web-larger-text = Grotere letters
web-language = Taal
web-input-label = Typ je vraag
web-send = Versturen
web-read-aloud = Voorlezen
web-you = Jij
web-you-chose = Jij koos: { $choice }
web-choices = Kies een plaatje
web-nav = Navigatie
web-log = Gesprek
web-person-joined = Je praat nu met { $name }. Dat is een mens.
web-typing = { $name } is aan het typen…
web-waiting = Je wacht op een mens. Je bent nummer { $position }. Dat duurt ongeveer { $minutes } minuten.
web-privacy = Wij bewaren je gesprek 30 dagen. Daarna gooien we de tekst weg. Je kunt het ook zelf verwijderen.
web-delete = Verwijder mijn gesprek
web-about = Over Wegwijs
web-about-text = Wegwijs helpt je de juiste hulp te vinden in je gemeente. Wegwijs is een computer. Wil je een mens spreken? Dat kan met de knop onderaan.
web-card-call = Bel
web-card-hours = Open op
web-card-open-now = Nu open
web-card-closed-now = Nu dicht
web-card-when = Wanneer?
web-card-steps = Wat kun je doen?
web-card-bring = Neem mee
web-card-website = Website
web-card-demo = Voorbeeld: deze gegevens zijn verzonnen.
web-error = Er ging iets mis. Probeer het nog eens.
web-rate-limited = Je stuurt veel berichten snel na elkaar. Wacht even en probeer het dan opnieuw.
web-offline = Geen verbinding. Probeer het zo nog eens.
web-new-conversation = Nieuw gesprek
web-canned-moment = Ik kijk even voor je. Wacht een moment.
web-canned-more = Kun je iets meer vertellen over je vraag?
web-canned-call = Wil je dat we je bellen? Typ dan je telefoonnummer.
web-canned-service = Ik geef je het nummer van de juiste hulp. Bel ze gerust.
web-canned-bye = Fijn dat je het vroeg. Succes! Je kunt altijd terugkomen.
