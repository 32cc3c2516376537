import { expect } from 'chai';
import { CsvSyntaxError, formatCsv, formatCsvField, parseCsv } from '../../../grader/report/csv';

describe('report CSV', () => {
  describe('parseCsv', () => {
    const cases: [string, string, string[][]][] = [
      [
        'plain fields',
        'a,b,c\n1,2,3\n',
        [
          ['a', 'b', 'c'],
          ['1', '2', '3'],
        ],
      ],
      [
        'CRLF line endings and no final line break',
        'a,b\r\n1,2',
        [
          ['a', 'b'],
          ['1', '2'],
        ],
      ],
      ['a quoted comma', '"Lovelace, Ada",x', [['Lovelace, Ada', 'x']]],
      ['a doubled quote inside quotes', '"say ""hi""",y', [['say "hi"', 'y']]],
      [
        'a line break inside quotes',
        '"two\nlines",z\nnext,row',
        [
          ['two\nlines', 'z'],
          ['next', 'row'],
        ],
      ],
      ['empty fields', ',,\n', [['', '', '']]],
      ['blank lines skipped', 'a\n\n\nb\n', [['a'], ['b']]],
      ['a byte-order mark ignored', '\uFEFFid,name', [['id', 'name']]],
    ];
    for (const [what, text, expected] of cases) {
      it(`parses ${what}`, () => {
        expect(parseCsv(text).map((record) => record.fields)).to.deep.equal(expected);
      });
    }

    it('numbers each record by the line it starts on', () => {
      expect(parseCsv('h\n"a\nb"\nc\n').map((record) => record.line)).to.deep.equal([1, 2, 4]);
    });

    const errors: [string, string, string][] = [
      ['an unclosed quote', 'id\n"open,1\n', 'line 2: a quoted field is never closed'],
      ['text after a closing quote', '"a"b,c', 'line 1: unexpected "b" after a closing quote'],
      ['a quote inside an unquoted field', 'ab"c,d', 'line 1: a quote inside an unquoted field ("ab\\"")'],
    ];
    for (const [what, text, message] of errors) {
      it(`rejects ${what}`, () => {
        expect(() => parseCsv(text)).to.throw(CsvSyntaxError, message);
      });
    }
  });

  describe('formatCsv', () => {
    const fields: [string, string][] = [
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['', ''],
    ];
    for (const [value, expected] of fields) {
      it(`writes ${JSON.stringify(value)} as ${expected}`, () => {
        expect(formatCsvField(value)).to.equal(expected);
      });
    }

    it('ends every record with CRLF and reads back what it wrote', () => {
      const rows = [
        ['id', 'note'],
        ['a,1', 'quote " and\nbreak'],
      ];
      const text = formatCsv(rows);
      expect(text).to.equal('id,note\r\n"a,1","quote "" and\nbreak"\r\n');
      expect(parseCsv(text).map((record) => record.fields)).to.deep.equal(rows);
    });
  });
});
