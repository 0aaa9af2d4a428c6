using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// <c>privacy.export</c>: builds the user's archive (<see cref="PersonalDataArchive"/>) in a temporary file, stores it
/// encrypted in the blob store, issues a single-use download token (only its SHA-256 is kept) valid for
/// <see cref="DataExportOptions.ExportLinkLifetime"/>, and e-mails the link in the user's language. Idempotent: a re-run
/// finds the archive stored and only sends a link if none was sent (with a fresh token, since the first one is not known);
/// an export already downloaded or expired is left alone. The archive's time is the request's, so a rebuild after a crash
/// of unchanged data is the same content-addressed blob.
/// </summary>
public sealed class DataExportJob(
    AppDbContext db,
    PersonalDataArchive archive,
    IBlobStore blobs,
    IEmailSender email,
    AccountLinks links,
    IOptions<DataExportOptions> options,
    TimeProvider time) : IJobHandler
{
    public string Kind => RequestDataExport.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var export = await db.PersonalDataExports.SingleOrDefaultAsync(e => e.Id == job.SubjectId, cancellationToken)
            ?? throw new JobRejectedException(Common.CommonErrors.NotFound, $"Data export {job.SubjectId} does not exist.");
        if (export.Status is not (DataExportStatus.Pending or DataExportStatus.Ready) || export.NotifiedAt is not null)
        {
            return Output(export);
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == export.UserId && u.TerminatedAt == null, cancellationToken)
            ?? throw new JobRejectedException(DataExportErrors.UserGone, $"The user of data export {export.Id} is gone.");

        if (export.Status == DataExportStatus.Pending)
        {
            var folder = Path.Combine(Path.GetTempPath(), "commerceos-exports");
            Directory.CreateDirectory(folder);
            // The plain archive exists only while it is written and encrypted: readable by this process's user alone, deleted on close.
            var temp = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 81_920,
                Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
            };
            if (!OperatingSystem.IsWindows())
            {
                temp.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var file = new FileStream(Path.Combine(folder, $"{export.Id:N}-{Guid.NewGuid():N}.zip"), temp);
            var summary = await archive.WriteAsync(export.UserId, export.RequestedAt, file, new Progress(progress), cancellationToken);
            file.Position = 0;
            // Stored with the requesting workspace's files: in its data region, and erased with it.
            var stored = await blobs.PutAsync(AssetBlobScope.For(export.WorkspaceId), file, cancellationToken);
            export.BlobKey = stored.Key;
            export.ByteSize = stored.Length;
            export.FileCount = summary.Files;
            export.Status = DataExportStatus.Ready;
            export.ReadyAt = time.GetUtcNow().UtcDateTime;
            progress.Report(0.95);
        }

        var token = NewToken();
        var now = time.GetUtcNow().UtcDateTime;
        export.TokenHash = HashToken(token);
        export.ExpiresAt = now + options.Value.ExportLinkLifetime;
        await db.SaveChangesAsync(cancellationToken);

        await email.SendAsync(EmailTemplates.DataExportReady(user.Email!, user.PreferredLanguage, user.DisplayName, links.DataExport(token), export.ExpiresAt.Value), cancellationToken);
        export.NotifiedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return Output(export);
    }

    /// <summary>32 random bytes, base64url.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The download through the API (the e-mailed link is the other way); IDs and figures only.</summary>
    public static string DownloadPath(Guid exportId) => $"/api/v1/me/exports/{exportId}/download";

    private static string Output(PersonalDataExport export) => JsonSerializer.Serialize(new
    {
        exportId = export.Id,
        status = export.Status.ToString().ToLowerInvariant(),
        download = export.Status == DataExportStatus.Ready ? DownloadPath(export.Id) : null,
        expiresAt = export.ExpiresAt,
        files = export.FileCount,
        bytes = export.ByteSize,
    });

    /// <summary>Scales the archive's 0..1 to the job's first 90 %.</summary>
    private sealed class Progress(IProgress<double> inner) : IProgress<double>
    {
        public void Report(double value) => inner.Report(0.9 * value);
    }
}
