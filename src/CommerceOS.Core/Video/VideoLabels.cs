namespace CommerceOS.Core.Video;

/// <summary>
/// The few words a template writes by itself, in the language of the video's text (not the seller's UI language: a
/// Chinese video for Douyin says 使用前 even when its seller reads the studio in English).
/// </summary>
public static class VideoLabels
{
    public const string Before = "before";
    public const string After = "after";

    private static readonly Dictionary<string, (string Before, string After)> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = ("Before", "After"),
        ["zh-CN"] = ("使用前", "使用后"),
        ["zh-TW"] = ("使用前", "使用後"),
        ["ja"] = ("使用前", "使用後"),
        ["ko"] = ("사용 전", "사용 후"),
        ["th"] = ("ก่อน", "หลัง"),
        ["vi"] = ("Trước", "Sau"),
        ["id"] = ("Sebelum", "Sesudah"),
        ["ms"] = ("Sebelum", "Selepas"),
        ["es"] = ("Antes", "Después"),
        ["fr"] = ("Avant", "Après"),
        ["de"] = ("Vorher", "Nachher"),
        ["it"] = ("Prima", "Dopo"),
        ["pt-BR"] = ("Antes", "Depois"),
        ["ru"] = ("До", "После"),
    };

    public static IReadOnlyDictionary<string, string> For(string language)
    {
        var (before, after) = Words.TryGetValue(language, out var words) ? words : Words["en"];
        return new Dictionary<string, string>(StringComparer.Ordinal) { [Before] = before, [After] = after };
    }
}
