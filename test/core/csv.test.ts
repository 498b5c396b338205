import { strict as assert } from 'node:assert';
import { csvCell, csvRow, guardFormula } from '../../src/core/csv';

/** A minimal RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('csv', () => {
  it('leaves plain values alone', () => {
    assert.equal(csvCell('172.31.16.139'), '172.31.16.139');
    assert.equal(csvCell(4249), '4249');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(null), '');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  });

  it('prefixes cells a spreadsheet would run as a formula', () => {
    assert.equal(guardFormula('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
    assert.equal(guardFormula('+1+2'), "'+1+2");
    assert.equal(guardFormula("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
    assert.equal(guardFormula('@SUM(A1:A2)'), "'@SUM(A1:A2)");
    assert.equal(guardFormula('\t=1'), "'\t=1");
    assert.equal(guardFormula('\r=1'), "'\r=1");
    assert.equal(csvCell('=1,2'), `"'=1,2"`);
  });

  it('keeps plain numbers and the lone "-" that flow logs use for no value', () => {
    assert.equal(guardFormula('-'), '-');
    assert.equal(guardFormula('-5'), '-5');
    assert.equal(guardFormula('-1.5'), '-1.5');
    assert.equal(guardFormula('-5e3'), "'-5e3");
    assert.equal(guardFormula('a=b'), 'a=b');
  });

  it('writes rows that read back as the same (guarded) cells', () => {
    const cells = ['<img src=x onerror=alert(1)>', 'x,"y"', '=cmd', 'line\r\nbreak', '', '-'];
    const text = csvRow(cells) + csvRow(['second', 2]);
    assert.ok(text.endsWith('\r\n'));
    assert.deepEqual(parseCsv(text), [
      ['<img src=x onerror=alert(1)>', 'x,"y"', "'=cmd", 'line\r\nbreak', '', '-'],
      ['second', '2'],
    ]);
  });
});
