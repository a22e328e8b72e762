// The page's words in English and Russian. The desktop host picks the language; a browser
// takes it from navigator.language. Errors are looked up by type, never shown as the server's
// English message.

const en = {
  title: 'Switchboard softphone',
  email: 'Email', password: 'Password', logIn: 'Log in', register: 'Register',
  country: 'Country', searchCountry: 'Search country or code', number: 'Number',
  call: 'Call', end: 'End', mute: 'Mute', unmute: 'Unmute', dialPad: 'Dial pad',
  ready: 'Ready', connecting: 'Connecting…', active: 'In call', completed: 'Finished', canceled: 'Finished',
  failed: 'Failed', initiated: 'Connecting…',
  devices: 'Audio devices', microphone: 'Microphone', speaker: 'Speaker', checkMicrophone: 'Check microphone',
  inputLevel: 'Input level', defaultDevice: 'Default',
  testNumbers: 'Test numbers',
  outcome: {
    answer: 'answers and echoes your voice', busy: 'busy', no_answer: 'rings, nobody answers',
    unavailable: 'provider unavailable', hang_up: 'hangs up after {seconds} s', media_failure: 'audio never connects',
  },
  numberOrName: 'Number or name', searchNumberOrName: '+49 151 23456789 or a name', clearNumber: 'Clear the number',
  hold: 'Hold', resume: 'Resume', keypad: 'Keypad', transfer: 'Transfer', transferTo: 'Transfer to',
  transferConfirm: 'Transfer', cancel: 'Cancel', close: 'Close', onHold: 'On hold',
  transferredTo: 'Transferred to {number}', tonesSent: 'Tones: {digits}',
  placedElsewhere: 'Call placed from another application',
  tonesUnavailable: 'This call does not carry tones.',
  recentCalls: 'Recent calls', contacts: 'Contacts', noRecentCalls: 'No calls yet.', noContacts: 'No contact matches.',
  callNumber: 'Call {number}', pickNumber: 'Put {number} in the number field',
  recentItem: '{time} · {duration} · {status}',
  quality: 'Call quality', qualityDetails: 'RTT {rtt} ms · jitter {jitter} ms · loss {loss} % · MOS {mos}',
  qualityLevel: ['no figures yet', 'poor', 'fair', 'good', 'excellent'],
  shortcuts: 'Keyboard shortcuts',
  shortcutList: [
    ['0–9 + * #', 'Type the number; in a call, send tones'], ['Enter', 'Call the number'], ['Esc', 'Hang up'],
    ['Alt+M', 'Mute or unmute the microphone'], ['Alt+H', 'Hold or resume the call'],
    ['Alt+K', 'Show or hide the keypad'], ['Alt+T', 'Transfer the call'],
    ['Tab / Shift+Tab', 'Next / previous control'], ['F1 / ?', 'This help'],
  ],
  numberValid: 'Valid number: {e164}',
  reason: {
    required: 'Enter a number.',
    too_long_input: 'The number is too long.',
    invalid_characters: 'Use only digits, spaces, +, -, ., ( and ).',
    not_international: 'Start with + and the country code.',
    invalid_country_code: 'Unknown country code.',
    not_a_number: 'This is not a phone number.',
    too_short: 'The number is too short.',
    too_long: 'The number is too long.',
    invalid_length: 'The number has a wrong length for this country.',
    invalid_number: 'This number does not exist in this country.',
  },
  error: {
    microphone_denied: 'Microphone access was denied. Allow the microphone to make calls.',
    no_input_device: 'No microphone was found. Connect a microphone.',
    no_media_devices: 'This browser cannot capture audio.',
    no_output_device: 'No speaker or headphones were found: you will not hear the other side.',
    server_unreachable: 'The Switchboard server cannot be reached. Check the connection.',
    call_initiation_failed: 'The telephony provider is unavailable. Try again later.',
    provider_unavailable: 'The telephony provider is unavailable. Try again later.',
    validation_error: 'The number is not valid.',
    call_already_active: 'A call is already in progress.',
    busy: 'The line is busy.',
    no_answer: 'Nobody answered.',
    media_failed: 'The audio connection could not be established.',
    setup_timeout: 'The call was not answered in time.',
    provider_error: 'The telephony provider reported an error.',
    interrupted: 'The call was interrupted.',
    invalid_credentials: 'Wrong email or password.',
    user_already_exists: 'An operator with this email already exists.',
    rate_limited: 'Too many attempts. Wait a minute and try again.',
    unauthenticated: 'Your session has ended. Log in again.',
    invalid_call_state: 'The call is not in progress any more.',
    not_found: 'The server does not offer this yet.',
    other: 'Something went wrong. Try again.',
  },
};

const ru = {
  title: 'Софтфон Switchboard',
  email: 'Эл. почта', password: 'Пароль', logIn: 'Войти', register: 'Зарегистрироваться',
  country: 'Страна', searchCountry: 'Поиск страны или кода', number: 'Номер',
  call: 'Позвонить', end: 'Завершить', mute: 'Выкл. микрофон', unmute: 'Вкл. микрофон', dialPad: 'Номеронабиратель',
  ready: 'Готов', connecting: 'Соединение…', active: 'Идёт разговор', completed: 'Завершён', canceled: 'Завершён',
  failed: 'Ошибка', initiated: 'Соединение…',
  devices: 'Аудиоустройства', microphone: 'Микрофон', speaker: 'Динамик', checkMicrophone: 'Проверить микрофон',
  inputLevel: 'Уровень сигнала', defaultDevice: 'По умолчанию',
  testNumbers: 'Тестовые номера',
  outcome: {
    answer: 'отвечает и повторяет ваш голос', busy: 'занято', no_answer: 'гудки, никто не отвечает',
    unavailable: 'оператор связи недоступен', hang_up: 'кладёт трубку через {seconds} с', media_failure: 'звук не соединяется',
  },
  numberOrName: 'Номер или имя', searchNumberOrName: '+49 151 23456789 или имя', clearNumber: 'Стереть номер',
  hold: 'Удержать', resume: 'Продолжить', keypad: 'Клавиатура', transfer: 'Перевести', transferTo: 'Перевести на номер',
  transferConfirm: 'Перевести', cancel: 'Отмена', close: 'Закрыть', onHold: 'На удержании',
  transferredTo: 'Звонок переведён на {number}', tonesSent: 'Тоны: {digits}',
  placedElsewhere: 'Звонок начат из другого приложения',
  tonesUnavailable: 'Этот звонок не передаёт тоны.',
  recentCalls: 'Недавние', contacts: 'Контакты', noRecentCalls: 'Звонков пока нет.', noContacts: 'Контакты не найдены.',
  callNumber: 'Позвонить на {number}', pickNumber: 'Вставить {number} в поле номера',
  recentItem: '{time} · {duration} · {status}',
  quality: 'Качество связи', qualityDetails: 'RTT {rtt} мс · джиттер {jitter} мс · потери {loss} % · MOS {mos}',
  qualityLevel: ['данных пока нет', 'плохое', 'среднее', 'хорошее', 'отличное'],
  shortcuts: 'Сочетания клавиш',
  shortcutList: [
    ['0–9 + * #', 'Набрать номер; во время звонка — отправить тоны'], ['Enter', 'Позвонить на номер'],
    ['Esc', 'Завершить звонок'], ['Alt+M', 'Выключить или включить микрофон'],
    ['Alt+H', 'Поставить звонок на удержание или продолжить'], ['Alt+K', 'Показать или скрыть клавиатуру'],
    ['Alt+T', 'Перевести звонок'], ['Tab / Shift+Tab', 'Следующий / предыдущий элемент'], ['F1 / ?', 'Эта справка'],
  ],
  numberValid: 'Номер верный: {e164}',
  reason: {
    required: 'Введите номер.',
    too_long_input: 'Номер слишком длинный.',
    invalid_characters: 'Допустимы только цифры, пробелы, +, -, ., ( и ).',
    not_international: 'Начните с + и кода страны.',
    invalid_country_code: 'Неизвестный код страны.',
    not_a_number: 'Это не телефонный номер.',
    too_short: 'Номер слишком короткий.',
    too_long: 'Номер слишком длинный.',
    invalid_length: 'Неверная длина номера для этой страны.',
    invalid_number: 'Такого номера в этой стране нет.',
  },
  error: {
    microphone_denied: 'Доступ к микрофону запрещён. Разрешите микрофон, чтобы звонить.',
    no_input_device: 'Микрофон не найден. Подключите микрофон.',
    no_media_devices: 'Этот браузер не может записывать звук.',
    no_output_device: 'Динамики или наушники не найдены: вы не услышите собеседника.',
    server_unreachable: 'Сервер Switchboard недоступен. Проверьте соединение.',
    call_initiation_failed: 'Оператор связи недоступен. Повторите попытку позже.',
    provider_unavailable: 'Оператор связи недоступен. Повторите попытку позже.',
    validation_error: 'Номер указан неверно.',
    call_already_active: 'Звонок уже идёт.',
    busy: 'Линия занята.',
    no_answer: 'Никто не ответил.',
    media_failed: 'Не удалось установить аудиосоединение.',
    setup_timeout: 'На звонок не ответили вовремя.',
    provider_error: 'Оператор связи сообщил об ошибке.',
    interrupted: 'Звонок прерван.',
    invalid_credentials: 'Неверная эл. почта или пароль.',
    user_already_exists: 'Оператор с такой эл. почтой уже есть.',
    rate_limited: 'Слишком много попыток. Подождите минуту.',
    unauthenticated: 'Сеанс завершён. Войдите снова.',
    invalid_call_state: 'Звонок уже не идёт.',
    not_found: 'Сервер этого пока не умеет.',
    other: 'Что-то пошло не так. Повторите попытку.',
  },
};

const dictionaries = { en, ru };

export function pickLanguage(requested) {
  const code = String(requested || navigator.language || 'en').slice(0, 2).toLowerCase();
  return code in dictionaries ? code : 'en';
}

export function words(language) {
  return dictionaries[pickLanguage(language)];
}

/// `template` with each {name} replaced by values[name].
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
