/** Image formats told apart by their first bytes; convlab reads only JPEG and PNG. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'unknown';

const SIGNATURES: readonly { format: ImageFormat; bytes: readonly number[] }[] = [
  { format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { format: 'webp', bytes: [0x52, 0x49, 0x46, 0x46] },
  { format: 'bmp', bytes: [0x42, 0x4d] },
];

export function sniffImageFormat(bytes: Uint8Array): ImageFormat {
  const match = SIGNATURES.find(({ bytes: signature }) => signature.every((byte, i) => bytes[i] === byte));
  return match?.format ?? 'unknown';
}

/** A file convlab does not read: its reason is shown to the learner, so it says what the file is. */
export class UnsupportedImageError extends Error {
  constructor(readonly format: ImageFormat) {
    super(
      format === 'unknown'
        ? 'not an image convlab can read (neither JPEG nor PNG)'
        : `unsupported image format ${format.toUpperCase()} (convlab reads JPEG and PNG)`,
    );
    this.name = 'UnsupportedImageError';
  }
}

/** Returns the format of a readable image, or throws UnsupportedImageError. */
export function requireReadableFormat(bytes: Uint8Array): 'jpeg' | 'png' {
  const format = sniffImageFormat(bytes);
  if (format !== 'jpeg' && format !== 'png') throw new UnsupportedImageError(format);
  return format;
}
