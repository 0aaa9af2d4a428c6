using Microsoft.Extensions.Configuration;

namespace CommerceOS.Core.Data;

/// <summary>
/// The folder that holds the embedded defaults' state (SQLite file, blobs, keys, mail pickup).
/// The server and the <c>cos</c> CLI resolve it the same way, so run from the same place they share data.
/// </summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "CommerceOS:DataDirectory";

    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        var path = string.IsNullOrWhiteSpace(configured) ? "data" : configured;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(full);
        return full;
    }
}
