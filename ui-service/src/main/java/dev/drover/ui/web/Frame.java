package dev.drover.ui.web;

/**
 * What every page's frame shows: the title, the section of the top navigation that is current, and who is signed
 * in (null on the sign-in page).
 */
public record Frame(String title, String section, Viewer viewer) {
}
