using JiebaNet.Segmenter;

namespace CommerceOS.Engines.Seo;

/// <summary>
/// Chinese word segmentation with jieba.NET (MIT). The package ships its dictionary and HMM model as loose files in
/// the package's <c>Resources/</c> folder, not as content, so the Engines project copies the three files accurate-mode
/// segmentation reads (dict.txt, prob_trans.json, prob_emit.json) to <c>jieba/</c> in every build output, and this class
/// points jieba at that folder before its first use. jieba logs and swallows a missing dictionary, after which it
/// silently cuts text into single characters; we check the files and the loaded dictionary and fail loudly instead.
/// </summary>
public static class ChineseSegmentation
{
    public const string DictionaryFolder = "jieba";

    public static readonly IReadOnlyList<string> RequiredFiles = ["dict.txt", "prob_trans.json", "prob_emit.json"];

    // jieba's dictionaries are process-wide statics, loaded once (about 5 MB, well under a second); after loading,
    // Cut only reads them, so one segmenter serves all threads.
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string DictionaryPath => Path.Combine(AppContext.BaseDirectory, DictionaryFolder);

    /// <summary>Accurate-mode segmentation with the HMM for words the dictionary lacks.</summary>
    public static IReadOnlyList<string> Cut(string text) =>
        string.IsNullOrEmpty(text) ? [] : Segmenter.Value.Cut(text, cutAll: false, hmm: true).ToList();

    /// <summary>Loads the dictionary now (start-up or a test) instead of on the first Chinese product.</summary>
    public static void EnsureLoaded() => _ = Segmenter.Value;

    private static JiebaSegmenter Create()
    {
        var folder = DictionaryPath;
        var missing = RequiredFiles.Where(file => !File.Exists(Path.Combine(folder, file))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Chinese segmentation needs jieba's {string.Join(", ", missing)} in {folder}; the build copies them from the jieba.NET package.");
        }

        ConfigManager.ConfigFileBaseDir = folder;
        var segmenter = new JiebaSegmenter();
        if (!(WordDictionary.Instance.Total > 0))
        {
            throw new InvalidOperationException($"jieba's dictionary in {folder} loaded no words.");
        }

        return segmenter;
    }
}
