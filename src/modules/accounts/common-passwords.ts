/**
 * The most used passwords of public breach lists (lower-cased), refused whatever the length rule
 * says; a password is also refused when it is one of these with digits or symbols added.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty1', '111111', '12345', 'secret',
  '123123', '1234567890', '1234567', '000000', 'qwerty', 'abc123', 'password1', 'iloveyou', '1q2w3e4r',
  '1q2w3e4r5t', 'qwertyuiop', '123321', '654321', '666666', '121212', '7777777', '987654321', 'dragon',
  'monkey', 'letmein', 'football', 'baseball', 'welcome', 'welcome1', 'admin', 'admin123', 'administrator',
  'login', 'passw0rd', 'password123', 'password1234', 'p@ssw0rd', 'p@ssword', 'master', 'hello', 'freedom',
  'whatever', 'qazwsx', 'trustno1', 'sunshine', 'princess', 'starwars', 'shadow', 'superman', 'michael',
  'jennifer', 'jordan', 'hunter', 'ashley', 'bailey', 'charlie', 'donald', 'batman', 'pokemon', 'solo',
  'zaq12wsx', 'zaq1zaq1', 'asdfghjkl', 'asdfgh', 'asdf1234', 'zxcvbnm', 'zxcvbn', 'qwe123', 'qweasd',
  'qweasdzxc', '1qaz2wsx', '1qaz2wsx3edc', 'aa123456', 'a123456', 'abcd1234', 'abcdef', 'abcdefg',
  'changeme', 'default', 'guest', 'test', 'test123', 'testing', 'root', 'toor', 'access', 'flower',
  'lovely', 'loveme', 'mustang', 'computer', 'internet', 'google', 'samsung', 'liverpool', 'chelsea',
  'arsenal', 'soccer', 'hockey', 'killer', 'matrix', 'summer', 'winter', 'spring', 'autumn', 'cookie',
  'cheese', 'banana', 'chocolate', 'orange', 'purple', 'yellow', 'silver', 'golden', 'diamond',
  'ginger', 'pepper', 'maggie', 'buster', 'tigger', 'thomas', 'robert', 'daniel', 'andrew', 'joshua',
  'matthew', 'anthony', 'william', 'harley', 'ranger', 'yankees', 'dallas', 'austin', 'jessica', 'nicole',
  'amanda', 'michelle', 'sophie', 'secret123', 'letmein123', 'iloveyou1', 'monkey123', 'dragon123',
  'mypassword', 'newpassword', 'yourpassword', 'nopassword', 'passpass', 'qwertyui', 'qwerty12',
  'qwerty1234', 'q1w2e3r4', 'q1w2e3r4t5', 'q1w2e3r4t5y6', '11111111', '00000000', '88888888',
  '12341234', '11223344', '112233', '123654', '147258369', '159753', '789456123', '963852741',
  'amused', 'amused123', 'shopify', 'seller', 'store', 'shop', 'inventory',
]);
