using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CommerceOS.Core.Seo;

namespace CommerceOS.Engines.Copy;

/// <summary>
/// Remembers the SEO engine's answers for a product's current content. A seller switching tone or language, regenerating
/// one field or writing several marketplaces asks for the same keywords again, and extraction (jieba, n-gram scoring) costs
/// more than writing the copy. The key is the content itself, not the product's id, so an edited product is never served
/// stale keywords. Bounded: cleared when full rather than tracking recency, which is enough for a working set of listings.
/// </summary>
internal sealed class SeoMemo(ISeoEngine seo)
{
    private const int Capacity = 2048;

    private readonly ConcurrentDictionary<string, object> _entries = new(StringComparer.Ordinal);

    public SeoKeywordSet KeywordSet(SeoSubject subject, string marketplace) =>
        Get("set|" + marketplace, subject, () => seo.BuildKeywordSet(subject, marketplace));

    public IReadOnlyList<SeoKeyword> Keywords(SeoSubject subject) => Get("keywords", subject, () => seo.ExtractKeywords(subject));

    public SeoMeta Meta(SeoSubject subject) => Get("meta", subject, () => seo.BuildMeta(subject));

    private T Get<T>(string kind, SeoSubject subject, Func<T> build)
        where T : class
    {
        var key = Key(kind, subject);
        if (_entries.TryGetValue(key, out var hit))
        {
            return (T)hit;
        }

        var value = build();
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[key] = value;
        return value;
    }

    /// <summary>Everything the SEO engine reads from the subject, with separators that cannot occur inside the values.</summary>
    private static string Key(string kind, SeoSubject subject)
    {
        var p = subject.Product;
        var b = new StringBuilder(512).Append(kind).Append('\u0001').Append(subject.Brand).Append('\u0001');
        foreach (var c in subject.Competitors)
        {
            b.Append(c).Append('\u0002');
        }

        b.Append('\u0001').Append(p.Title).Append('\u0001').Append(p.Description).Append('\u0001').Append(p.Category)
            .Append('\u0001').Append(p.TargetAudience).Append('\u0001').Append(p.Sku).Append('\u0001');
        foreach (var a in p.Attributes)
        {
            b.Append(a.Name).Append('\u0002').Append(((int)a.Type).ToString(CultureInfo.InvariantCulture)).Append('\u0002')
                .Append(a.Value).Append('\u0002').Append(a.Unit).Append('\u0003');
        }

        b.Append('\u0001');
        foreach (var s in p.SellingPoints)
        {
            b.Append(s).Append('\u0002');
        }

        b.Append('\u0001');
        foreach (var v in p.Variants)
        {
            foreach (var (name, value) in v.Options)
            {
                b.Append(name).Append('\u0002').Append(value).Append('\u0003');
            }

            b.Append('\u0004');
        }

        return b.ToString();
    }
}
