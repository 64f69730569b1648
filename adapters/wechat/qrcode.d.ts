/**
 * The one function of the `qrcode` package (MIT; no bundled types) the adapter uses: a QR code as
 * text, drawn with block characters for a terminal.
 */
declare module 'qrcode' {
  interface ToStringOptions {
    type: 'terminal' | 'utf8';
    /** Half-height blocks (▀ ▄ █): a quarter of the area, still scannable from a screen. */
    small?: boolean;
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  }
  const qrcode: { toString(text: string, options: ToStringOptions): Promise<string> };
  export default qrcode;
}
