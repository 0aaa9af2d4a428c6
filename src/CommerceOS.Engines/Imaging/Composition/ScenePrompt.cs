using System.Text;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>
/// The local engine's answer to a scene prompt: no model, so keywords (English and Chinese) choose a
/// procedural base scene, a mood and an accent colour. The same prompt always gives the same scene
/// (the seed is a hash of the normalised prompt); an unrecognised prompt gives a neutral studio scene.
/// </summary>
public static class ScenePrompt
{
    public const string DefaultScene = "studio-window-light";

    /// <summary>Keyword to base scene, most specific first (the first match in this order wins).</summary>
    private static readonly (string Keyword, string Scene)[] Scenes =
    [
        ("kitchen", "kitchen-counter"), ("厨房", "kitchen-counter"), ("countertop", "kitchen-counter"), ("灶台", "kitchen-counter"),
        ("beach", "beach-sand"), ("海滩", "beach-sand"), ("沙滩", "beach-sand"), ("sea", "beach-sand"), ("海边", "beach-sand"), ("summer", "beach-sand"), ("夏", "beach-sand"),
        ("marble", "marble-bath"), ("大理石", "marble-bath"), ("bath", "marble-bath"), ("浴室", "marble-bath"), ("spa", "marble-bath"),
        ("shelf", "living-room-shelf"), ("书架", "living-room-shelf"), ("living room", "living-room-shelf"), ("客厅", "living-room-shelf"), ("home", "living-room-shelf"), ("家居", "living-room-shelf"),
        ("desk", "wooden-desk"), ("书桌", "wooden-desk"), ("office", "wooden-desk"), ("办公", "wooden-desk"), ("wood", "wooden-desk"), ("木", "wooden-desk"),
        ("outdoor", "outdoor-stone"), ("户外", "outdoor-stone"), ("garden", "outdoor-stone"), ("花园", "outdoor-stone"), ("stone", "outdoor-stone"), ("石", "outdoor-stone"), ("nature", "outdoor-stone"), ("自然", "outdoor-stone"),
        ("concrete", "concrete-loft"), ("混凝土", "concrete-loft"), ("水泥", "concrete-loft"), ("loft", "concrete-loft"), ("industrial", "concrete-loft"), ("工业", "concrete-loft"), ("urban", "concrete-loft"), ("都市", "concrete-loft"),
        ("window", "studio-window-light"), ("窗", "studio-window-light"), ("studio", "studio-window-light"), ("影棚", "studio-window-light"),
    ];

    private static readonly (string Keyword, SceneMood Mood)[] Moods =
    [
        ("night", SceneMood.Night), ("夜", SceneMood.Night), ("evening", SceneMood.Night), ("晚", SceneMood.Night), ("dark", SceneMood.Night),
        ("christmas", SceneMood.Festive | SceneMood.Warm), ("圣诞", SceneMood.Festive | SceneMood.Warm), ("festive", SceneMood.Festive), ("节日", SceneMood.Festive),
        ("new year", SceneMood.Festive), ("新年", SceneMood.Festive), ("春节", SceneMood.Festive | SceneMood.Warm),
        ("minimal", SceneMood.Minimal), ("极简", SceneMood.Minimal), ("简约", SceneMood.Minimal), ("clean", SceneMood.Minimal),
        ("warm", SceneMood.Warm), ("暖", SceneMood.Warm), ("sunset", SceneMood.Warm), ("日落", SceneMood.Warm), ("cozy", SceneMood.Warm), ("温馨", SceneMood.Warm),
        ("cool", SceneMood.Cool), ("冷", SceneMood.Cool), ("fresh", SceneMood.Cool), ("清爽", SceneMood.Cool), ("winter", SceneMood.Cool), ("冬", SceneMood.Cool),
    ];

    private static readonly (string Keyword, Rgb Colour)[] Colours =
    [
        ("red", new Rgb(190, 48, 44)), ("红", new Rgb(190, 48, 44)),
        ("green", new Rgb(70, 130, 80)), ("绿", new Rgb(70, 130, 80)),
        ("blue", new Rgb(60, 100, 170)), ("蓝", new Rgb(60, 100, 170)),
        ("pink", new Rgb(230, 160, 180)), ("粉", new Rgb(230, 160, 180)),
        ("gold", new Rgb(200, 160, 70)), ("金", new Rgb(200, 160, 70)),
        ("yellow", new Rgb(230, 196, 70)), ("黄", new Rgb(230, 196, 70)),
        ("purple", new Rgb(130, 90, 160)), ("紫", new Rgb(130, 90, 160)),
    ];

    public static SceneParameters Parse(string prompt, IReadOnlyList<string>? palette)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = prompt.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Trim();
        var scene = Scenes.FirstOrDefault(k => Contains(text, k.Keyword)).Scene ?? DefaultScene;
        var mood = SceneMood.None;
        foreach (var (keyword, value) in Moods)
        {
            if (Contains(text, keyword))
            {
                mood |= value;
            }
        }

        if (mood.HasFlag(SceneMood.Warm) && mood.HasFlag(SceneMood.Cool))
        {
            mood &= ~SceneMood.Cool;
        }

        Rgb? accent = Colours.FirstOrDefault(k => Contains(text, k.Keyword)).Keyword is { } colourWord
            ? Colours.First(k => k.Keyword == colourWord).Colour
            : null;
        if (mood.HasFlag(SceneMood.Festive) && accent is null)
        {
            accent = new Rgb(176, 40, 40);
        }

        accent ??= (palette ?? []).Select(Rgb.Parse).FirstOrDefault(c => c is not null);
        return new SceneParameters(scene, Seed(text), mood, accent);
    }

    /// <summary>ASCII keywords match whole words ("sea" is not in "season"); CJK keywords match anywhere (no spaces in Chinese).</summary>
    private static bool Contains(string text, string keyword)
    {
        if (keyword.Any(c => c > 0x7F))
        {
            return text.Contains(keyword, StringComparison.Ordinal);
        }

        var start = 0;
        while ((start = text.IndexOf(keyword, start, StringComparison.Ordinal)) >= 0)
        {
            var before = start == 0 || !char.IsAsciiLetter(text[start - 1]);
            var end = start + keyword.Length;
            // Allow simple plurals and adjectives: "kitchens", "woods", "wooden".
            var after = WordEndsAt(text, end) || (text[end] == 's' && WordEndsAt(text, end + 1)) || (text[end..].StartsWith("en", StringComparison.Ordinal) && WordEndsAt(text, end + 2));
            if (before && after)
            {
                return true;
            }

            start = end;
        }

        return false;
    }

    private static bool WordEndsAt(string text, int index) => index >= text.Length || !char.IsAsciiLetter(text[index]);

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes and runtimes, unlike string.GetHashCode.</summary>
    public static int Seed(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash & 0x7FFFFFFF) % 100_000;
    }
}
