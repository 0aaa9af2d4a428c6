using System.Reflection;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// The common-password list embedded in zxcvbn-core (<c>passwords.lst</c>, about 30,000 entries,
/// lower case, most common first): offline, so it meets ASVS 5.0 6.2.4 (top 3,000) without HIBP.
/// Loaded once on first use.
/// </summary>
public static class CommonPasswords
{
    /// <summary>The manifest resource name inside the zxcvbn-core assembly.</summary>
    public const string ResourceName = "zxcvbn-core.Dictionaries.passwords.lst";

    private static readonly Lazy<IReadOnlyList<string>> List = new(Load);
    private static readonly Lazy<HashSet<string>> Set = new(() => new HashSet<string>(List.Value, StringComparer.Ordinal));

    /// <summary>The entries in list order (most common first).</summary>
    public static IReadOnlyList<string> Entries => List.Value;

    /// <summary>Whether the lower-cased password is on the list.</summary>
    public static bool Contains(string lowerCasePassword) => Set.Value.Contains(lowerCasePassword);

    private static List<string> Load()
    {
        var assembly = typeof(global::Zxcvbn.Zxcvbn).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"zxcvbn-core no longer embeds '{ResourceName}'; the common-password check cannot run.");
        using var reader = new StreamReader(stream);
        var entries = new List<string>(30_001);
        while (reader.ReadLine() is { } line)
        {
            var entry = line.Trim();
            if (entry.Length > 0)
            {
                entries.Add(entry.ToLowerInvariant());
            }
        }

        return entries;
    }
}
