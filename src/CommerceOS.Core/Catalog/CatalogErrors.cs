namespace CommerceOS.Core.Catalog;

/// <summary>Error codes of the catalog area; texts in <c>Resources/{en,zh-CN}/Catalog.json</c>.</summary>
public static class CatalogErrors
{
    public const string SkuRequired = "catalog.sku_required";
    public const string SkuInvalid = "catalog.sku_invalid";
    public const string SkuTaken = "catalog.sku_taken";
    public const string TitleRequired = "catalog.title_required";
    public const string TitleTooLong = "catalog.title_too_long";
    public const string DescriptionTooLong = "catalog.description_too_long";
    public const string CategoryTooLong = "catalog.category_too_long";
    public const string TargetAudienceTooLong = "catalog.target_audience_too_long";
    public const string StatusInvalid = "catalog.status_invalid";
    public const string BrandNotFound = "catalog.brand_not_found";
    public const string TooManySellingPoints = "catalog.too_many_selling_points";
    public const string SellingPointTooLong = "catalog.selling_point_too_long";
    public const string TooManyAttributes = "catalog.too_many_attributes";
    public const string AttributeNameRequired = "catalog.attribute_name_required";
    public const string AttributeNameTooLong = "catalog.attribute_name_too_long";
    public const string AttributeDuplicate = "catalog.attribute_duplicate";
    public const string AttributeInvalid = "catalog.attribute_invalid";
    public const string AttributeValueTooLong = "catalog.attribute_value_too_long";
    public const string AttributeFormat = "catalog.attribute_format";
    public const string TooManyVariants = "catalog.too_many_variants";
    public const string VariantSkuDuplicate = "catalog.variant_sku_duplicate";
    public const string VariantSkuTaken = "catalog.variant_sku_taken";
    public const string VariantOptionInvalid = "catalog.variant_option_invalid";
    public const string VariantOptionsFormat = "catalog.variant_options_format";
    public const string CurrencyInvalid = "catalog.currency_invalid";
    public const string CurrencyMixed = "catalog.currency_mixed";
    public const string PriceNegative = "catalog.price_negative";
    public const string PriceInvalid = "catalog.price_invalid";
    public const string PricePrecision = "catalog.price_precision";
    public const string StockNegative = "catalog.stock_negative";
    public const string StockInvalid = "catalog.stock_invalid";
    public const string EditConflict = "catalog.edit_conflict";
    public const string AssetNotFound = "catalog.asset_not_found";
    public const string TooManyPhotos = "catalog.too_many_photos";
    public const string PhotosMismatch = "catalog.photos_mismatch";
    public const string SearchTooLong = "catalog.search_too_long";

    /// <summary>Creating and editing brand kits is the Brand Center (Creator and above); reading and deleting them is not gated.</summary>
    public const string BrandCenterRequired = "brands.feature_required";
    public const string BrandNameRequired = "catalog.brand_name_required";
    public const string BrandNameTooLong = "catalog.brand_name_too_long";
    public const string BrandNameTaken = "catalog.brand_name_taken";
    public const string BrandVoiceTooLong = "catalog.brand_voice_too_long";
    public const string BrandToneInvalid = "catalog.brand_tone_invalid";
    public const string PaletteColorInvalid = "catalog.palette_color_invalid";
    public const string TooManyPaletteColors = "catalog.too_many_palette_colors";
    public const string FontInvalid = "catalog.font_invalid";
    public const string TooManyBannedWords = "catalog.too_many_banned_words";
    public const string BannedWordTooLong = "catalog.banned_word_too_long";
    public const string TooManyGlossaryTerms = "catalog.too_many_glossary_terms";
    public const string GlossarySourceRequired = "catalog.glossary_source_required";
    public const string GlossaryTargetRequired = "catalog.glossary_target_required";
    public const string GlossaryTermTooLong = "catalog.glossary_term_too_long";
    public const string GlossaryLanguageInvalid = "catalog.glossary_language_invalid";

    public const string CsvEmpty = "catalog.csv_empty";
    public const string CsvMissingColumn = "catalog.csv_missing_column";
    public const string CsvUnknownColumn = "catalog.csv_unknown_column";
    public const string CsvDuplicateColumn = "catalog.csv_duplicate_column";
    public const string CsvTooManyRows = "catalog.csv_too_many_rows";
    public const string CsvMalformed = "catalog.csv_malformed";
    public const string CsvProductMismatch = "catalog.csv_product_mismatch";
    public const string CsvProductRejected = "catalog.csv_product_rejected";
    public const string CsvVariantMissing = "catalog.csv_variant_missing";
    public const string CsvDatabaseError = "catalog.csv_database_error";
}
