# Wegwijs: English. Short sentences, one idea per sentence.

## Conversation (engine)
greeting = Hello! I am Wegwijs. I help you find the right help. Type your question. Or tap a picture.
choose-language = Choose your language.
language-set = I will now talk { $language } with you.
home-menu = What is your question about? Tap a picture.
submenu = { $area }: what fits you?
service-intro = This is where you can go: { $service }.
ask-feedback = Does this help you?
feedback-thanks = Good! Do you have another question? Tap a picture or type your question.
feedback-sorry = Sorry about that. Does one of these fit better? Or talk to a person.
clarify = I am not sure. Do you mean one of these?
not-understood = I do not understand that well. Tap a picture. Or type your question in another way.
not-understood-again = I still do not understand you. Sorry. Do you want to talk to a person?
out-of-scope = I cannot help with that. I help with money, care, housing, work, school and safety.
crisis-card = Are you in danger? Or is someone else in danger? Call 112 now. Do you think about suicide? Call 113 or 0800-0113 for free. Day and night. Is it not safe at home? Call Veilig Thuis: 0800-2000.
queued = I am finding a person for you. You are number { $position }. It takes about { $minutes } minutes.
queued-crisis = I am finding a person for you right now. You are number { $position }. Stay in this chat.
still-waiting = You are waiting for a person. Your message is saved.
supporter-joined = { $name } is talking with you now. { $name } is a person.
supporter-left = { $name } has left. You are talking with Wegwijs again.
conversation-closed = The conversation has ended. Thank you. You can always start again.
out-of-hours = Nobody is here right now. We are here: { $hours }.
nobody-available = It takes longer than we thought. Nobody is free right now. Sorry.
ask-consent = Do you want to leave your question and phone number? Then we call you back. We keep it only for that.
leave-contact = Type your question. Also type your phone number or email.
contact-saved = Thank you. We will contact you.
no-consent = All right. We keep nothing. Come back any time.
confirm-delete = Do you want to delete this conversation? Everything will be thrown away.
deleted = Your conversation has been deleted.
delete-cancelled = All right. Your conversation is kept.
goodbye = Goodbye! You can always come back.
unknown-choice = I do not know that choice. Choose again.
too-long = Your message is too long. Make it shorter, up to { $max } characters.
supporter-message = { $name } writes:

## Buttons
btn-yes = Yes
btn-no = No
btn-person = Talk to a person
btn-back = Back
btn-home = Start
btn-stop = Stop
btn-delete = Delete
btn-cancel = Do not delete
btn-call = Call

## Telegram (bot)
tg-private-only = I only work in a private chat with you. Send me a message in a private chat.
tg-not-text = I cannot read that. I only read text. Type your question. Or tap a picture.
tg-not-text-person = I cannot pass that on. Please type your message.
tg-stale-button = This button does not work any more. Choose again.
tg-with-person = You are talking with a person now. Type your message.
tg-error = Something went wrong. Sorry. Please try again.
tg-help =
    Type your question. Or tap a picture.
    /mens: talk to a person
    /taal: choose your language
    /menu: see the pictures
    /stop: stop the conversation
    /vergeet: delete your conversation
tg-cmd-start = Start
tg-cmd-menu = See the pictures
tg-cmd-mens = Talk to a person
tg-cmd-taal = Choose your language
tg-cmd-stop = Stop the conversation
tg-cmd-vergeet = Delete your conversation
tg-card-when = This is for you if:
tg-card-steps = What can you do?
tg-card-bring = Bring:
tg-card-phone = Call { $organisation }: { $phone }
tg-card-hours = Open: { $hours }
tg-card-open-now = Open now.
tg-card-closed-now = Closed now.
tg-card-demo = Note: this is an example (demo). These details are not real.

## Website widget and console (web-widget)
web-launcher = Find help
web-title = Wegwijs
web-subtitle = Find the right help together
web-close = Close
web-mode-label = View
web-mode-pictures = Pictures
web-mode-text = Text
web-larger-text = Larger text
web-language = Language
web-input-label = Type your question
web-send = Send
web-read-aloud = Read aloud
web-you = You
web-you-chose = You chose: { $choice }
web-choices = Choose a picture
web-nav = Navigation
web-log = Conversation
web-person-joined = You are now talking with { $name }. This is a person.
web-typing = { $name } is typing…
web-waiting = You are waiting for a person. You are number { $position }. It takes about { $minutes } minutes.
web-privacy = We keep your conversation for 30 days. Then we throw the text away. You can also delete it yourself.
web-delete = Delete my conversation
web-about = About Wegwijs
web-about-text = Wegwijs helps you find the right help in your town. Wegwijs is a computer. Do you want to talk to a person? Use the button at the bottom.
web-card-call = Call
web-card-hours = Opening hours
web-card-open-now = Open now
web-card-closed-now = Closed now
web-card-when = When?
web-card-steps = What can you do?
web-card-bring = Bring with you
web-card-website = Website
web-card-demo = Example: these details are made up.
web-error = Something went wrong. Please try again.
web-rate-limited = You are sending many messages quickly. Wait a moment, then try again.
web-offline = No connection. Try again in a moment.
web-new-conversation = New conversation
web-canned-moment = I am looking into it for you. Please wait a moment.
web-canned-more = Can you tell me a bit more about your question?
web-canned-call = Do you want us to call you? Then type your phone number.
web-canned-service = I will give you the number of the right help. Feel free to call them.
web-canned-bye = Thank you for asking. Good luck! You can always come back.
