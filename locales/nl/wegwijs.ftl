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
