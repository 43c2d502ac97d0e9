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
