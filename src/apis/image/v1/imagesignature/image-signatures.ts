// Edits of `Image.signatures` for the imagesignatures resource (openshift-apiserver
// `registry/imagesignature/rest.go`): a signature is known by its name, and also by its type and content.
import type { ImageSignature } from '../signature.js';

export function indexOfSignatureByName(signatures: readonly ImageSignature[], name: string): number {
  return signatures.findIndex((s) => (s.metadata?.name ?? '') === name);
}

/** Content is compared as bytes: the same blob may arrive with a different base64 spelling. */
export function indexOfSignatureByContent(signatures: readonly ImageSignature[], type: string, content: string | null | undefined): number {
  const bytes = decodeBase64(content);
  return signatures.findIndex((s) => (s.type ?? '') === type && decodeBase64(s.content).equals(bytes));
}

function decodeBase64(text: string | null | undefined): Buffer {
  return Buffer.from((text ?? '').replace(/[\r\n]/g, ''), 'base64');
}

/** The list without the entry at `index`; the others keep their order. */
export function withoutSignatureAt(signatures: readonly ImageSignature[], index: number): ImageSignature[] {
  return [...signatures.slice(0, index), ...signatures.slice(index + 1)];
}
