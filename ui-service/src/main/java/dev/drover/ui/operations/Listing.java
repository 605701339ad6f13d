package dev.drover.ui.operations;

import java.util.List;

/**
 * A page that is one table of what an API lists (assets, received events, pools, accounts, tokens, secret names):
 * its sections, each with column headings and rows of cells.
 */
public record Listing(String title, List<Section> sections) {

    /** A table with a heading, what it is, and what to do when it is empty. */
    public record Section(String heading, String about, List<String> columns, List<List<Cell>> rows, String empty) {
    }

    /** A cell: text, perhaps a link, perhaps a time (shown in the viewer's zone). */
    public record Cell(String text, String href, boolean time) {
        public static Cell text(String text) {
            return new Cell(text == null ? "" : text, null, false);
        }

        public static Cell link(String text, String href) {
            return new Cell(text, href, false);
        }

        public static Cell at(String iso) {
            return new Cell(iso, null, iso != null);
        }
    }
}
