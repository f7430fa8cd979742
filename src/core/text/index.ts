/** The Indonesian text layer: sentences, tokens, stopwords, stemming, detokenization. */
export { splitSentences, splitParagraphs } from './sentences.js';
export { tokenize, words, terms, isWordToken, isNumberToken } from './tokenize.js';
export { STOPWORDS, isStopword } from './stopwords.js';
export { stem, ROOTS } from './stem.js';
export { detokenize, detokenizeParagraph } from './detokenize.js';
