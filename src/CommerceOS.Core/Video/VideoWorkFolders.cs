using CommerceOS.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Video;

public sealed class VideoOptions
{
    public const string Section = "Video";

    /// <summary>Where renders keep their temporary files; empty means <c>{DataDirectory}/tmp/video</c>. Decrypted inputs live here while a job runs.</summary>
    public string WorkFolder { get; set; } = "";

    /// <summary>A work folder older than this belongs to no live job (a job's lease is minutes) and is deleted by the sweep.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>
/// One folder per job under the work folder. A job deletes its folder when it ends, however it ends; a crash (kill -9)
/// leaves one behind, which the job's next attempt replaces and the sweep removes when no attempt comes.
/// </summary>
public sealed partial class VideoWorkFolders(IOptions<VideoOptions> options, IConfiguration configuration, TimeProvider time, ILogger<VideoWorkFolders> logger)
{
    public string Root
    {
        get
        {
            var configured = options.Value.WorkFolder;
            return Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(DataDirectory.Resolve(configuration), "tmp", "video")
                : configured);
        }
    }

    /// <summary>A fresh, empty folder for the job (what a crashed attempt left is deleted first).</summary>
    public string Create(Guid jobId)
    {
        var folder = Path.Combine(Root, jobId.ToString("N"));
        Delete(folder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The sweep retries; a failed delete must not fail the job that produced the video.
            LogDeleteFailed(exception, folder);
        }
    }

    /// <summary>Deletes folders untouched for <see cref="VideoOptions.StaleAfter"/>. Returns how many.</summary>
    public int Sweep()
    {
        var root = Root;
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.StaleAfter;
        var deleted = 0;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            if (Directory.GetLastWriteTimeUtc(folder) < cutoff)
            {
                Delete(folder);
                deleted += Directory.Exists(folder) ? 0 : 1;
            }
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the video work folder {Folder}")]
    private partial void LogDeleteFailed(Exception exception, string folder);
}
