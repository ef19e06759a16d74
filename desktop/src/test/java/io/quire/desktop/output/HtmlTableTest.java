package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTableTest {
    /** What pandas 1.5 writes for {@code pd.DataFrame({"a": [1, 2], "b": ["x<y", "z"]})}. */
    private static final String PANDAS = """
            <div>
            <style scoped>
                .dataframe tbody tr th:only-of-type { vertical-align: middle; }
            </style>
            <table border="1" class="dataframe">
              <thead>
                <tr style="text-align: right;">
                  <th></th>
                  <th>a</th>
                  <th>b</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th>0</th>
                  <td>1</td>
                  <td>x&lt;y</td>
                </tr>
                <tr>
                  <th>1</th>
                  <td>2</td>
                  <td>z</td>
                </tr>
              </tbody>
            </table>
            <p>2 rows &times; 2 columns</p>
            </div>
            """;

    @Test
    void pandasDataFrame_becomesHeaderAndBodyRows() {
        HtmlTable table = HtmlTable.parse(PANDAS).orElseThrow();
        assertThat(table.header()).containsExactly(List.of("", "a", "b"));
        assertThat(table.body()).containsExactly(List.of("0", "1", "x<y"), List.of("1", "2", "z"));
        assertThat(table.note()).isEqualTo("2 rows \u00d7 2 columns");
    }

    @Test
    void htmlWithoutTable_isNotATable() {
        assertThat(HtmlTable.parse("<b>bold</b>")).isEmpty();
    }

    @Test
    void text_dropsStylesAndTags() {
        assertThat(HtmlTable.text("<style>x{}</style><p>Hello&nbsp;<b>you</b></p><p>2</p>"))
                .isEqualTo("Hello\u00a0you\n2");
    }

    @Test
    void pandasDefaultOutput_isAPlainTable() {
        assertThat(HtmlTable.isPlainTable(PANDAS)).isTrue();
    }

    @Test
    void stylerSpansInlineStylesOtherTagsOrTwoTables_areNotPlain() {
        assertThat(HtmlTable.isPlainTable("<style type=\"text/css\">#T_a td {color: red}</style>"
                + "<table id=\"T_a\"><tr><td>1</td></tr></table>")).as("a pandas Styler").isFalse();
        assertThat(HtmlTable.isPlainTable("<table><tr><th rowspan=\"2\">a</th><td>1</td></tr></table>"))
                .as("a MultiIndex").isFalse();
        assertThat(HtmlTable.isPlainTable("<table><tr><td style=\"color: red\">1</td></tr></table>")).isFalse();
        assertThat(HtmlTable.isPlainTable("<table><tr><td><b>1</b></td></tr></table>")).isFalse();
        assertThat(HtmlTable.isPlainTable("<table><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>"))
                .isFalse();
        assertThat(HtmlTable.isPlainTable("<p>no table</p>")).isFalse();
    }
}
