namespace CommerceOS.Web.Features.Legal;

/// <summary>
/// A bilingual legal text shipped with the product (English first, then Chinese), split at the
/// Chinese heading so each language is shown on its own.
/// </summary>
public sealed class LegalDocument
{
    private readonly string _english;
    private readonly string _chinese;

    private LegalDocument(string english, string chinese)
    {
        _english = english;
        _chinese = chinese;
    }

    public static LegalDocument Load(string fileName, string chineseHeading)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Legal", fileName));
        var split = text.IndexOf(chineseHeading, StringComparison.Ordinal);
        if (split < 0)
        {
            throw new InvalidOperationException($"{fileName} has no '{chineseHeading}' section.");
        }

        var english = text[..split];
        // Skip the site chrome lines ("COS", "CommerceOS", "Legal") copied from the web page.
        var start = english.IndexOf("\n\n", english.IndexOf("Legal", StringComparison.Ordinal), StringComparison.Ordinal);
        return new LegalDocument(english[(start < 0 ? 0 : start)..].Trim(), text[split..].Trim());
    }

    public string For(bool chinese) => chinese ? _chinese : _english;
}
