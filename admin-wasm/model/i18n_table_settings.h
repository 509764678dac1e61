// The settings panel's strings: CCC_I18N(Key, "English", "简体中文"). Included by model/i18n_table.h
// (X-macro, so no include guard) and read by fonts/make_fonts.py like every model/i18n_table*.h.
// clang-format off

