using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Privacy;

/// <param name="Counts">Records per collection (summed over the owned workspaces), as in <c>manifest.json</c>.</param>
public sealed record DataArchiveSummary(IReadOnlyDictionary<string, int> Counts, int Files, int MissingFiles);

/// <summary>
/// Writes a user's personal data as a ZIP (schema: <c>docs/privacy/export.schema.json</c>): <c>data.json</c> with the account,
/// memberships and roles, consents, the user's own security events and API keys (names and prefixes only), and for every
/// workspace the user owns its full content (catalogue, brands, assets' metadata, listing copy and its versions, translation
/// memory, workflow history, usage, billing, marketplace connections without credentials, members' ids and roles) with the
/// workspace's data region; <c>files/</c> with every stored upload and generated file of those workspaces as stored; and
/// <c>manifest.json</c> with a count per collection and the files' sizes and SHA-256. Workspaces the user only belongs to
/// contribute their membership alone.
/// <para>
/// Tenancy: each owned workspace is read in its own DI scope whose <see cref="WorkspaceContext"/> is that workspace, so every
/// query goes through the tenant filter; only the user's own rows (by user id) are read outside one. Secrets never leave:
/// password hashes, security stamps, API key hashes, token hashes, blob keys and marketplace credentials are dropped by
/// property (<see cref="Withheld"/>), and entities are written from the EF model's scalar properties only.
/// </para>
/// Rows are streamed one at a time and files copied through a small buffer, so the archive never sits in memory.
/// </summary>
public sealed class PersonalDataArchive(AppDbContext db, IServiceScopeFactory scopes, IBlobStore blobs)
{
    public const string FormatVersion = "1";
    public const string DataEntry = "data.json";
    public const string ManifestEntry = "manifest.json";
    public const string FilesFolder = "files";

    /// <summary>Properties that are never exported, whatever entity carries them.</summary>
    public static readonly IReadOnlySet<string> Withheld = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
        nameof(ApiKey.KeyHash), nameof(PersonalDataExport.TokenHash), nameof(Publishing.MarketplaceConnection.ProtectedCredentials),
        nameof(Asset.BlobKey), nameof(Asset.ThumbnailBlobKey), nameof(Jobs.Job.CheckpointJson),
    };

    /// <summary>The collections of an owned workspace, in the order written; the names are the keys in data.json and the manifest.</summary>
    public static readonly IReadOnlyList<string> WorkspaceCollections =
    [
        "members", "subscriptions", "usageCounters", "billingOrders", "invoices", "brands", "products", "productVariants", "productPhotos",
        "assets", "listingCopies", "listingCopyVersions", "translationMemory", "workflowTemplates", "workflowBatches", "workflowRuns",
        "workflowSteps", "workflowStepExecutions", "marketplaceConnections", "marketplaceListings", "publications",
    ];

    public static readonly IReadOnlyList<string> UserCollections = ["account", "memberships", "consents", "securityEvents", "apiKeys", "workspaces"];

    private const int FlushEvery = 50;
    private const int CopyBuffer = 81_920;

    /// <param name="generatedAt">Written into the archive and as every entry's time, so a retried job writes the same bytes for the same data.</param>
    public async Task<DataArchiveSummary> WriteAsync(Guid userId, DateTime generatedAt, Stream output, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var json = SerializerOptions(db.Model);
        var counts = UserCollections.Concat(WorkspaceCollections).ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        var files = new List<ManifestFile>();
        var missing = 0;

        var memberships = await db.WorkspaceMembers.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { Member = m, Workspace = w })
            .OrderBy(x => x.Member.JoinedAt).ThenBy(x => x.Workspace.Id)
            .Select(x => new Membership(x.Workspace.Id, x.Workspace.Name, x.Member.Role, x.Member.JoinedAt, x.Workspace.DataRegion, x.Workspace.CreatedAt))
            .ToListAsync(cancellationToken);
        var owned = memberships.Where(m => m.Role == WorkspaceRole.Owner).ToList();

        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await using (var data = await NewEntry(zip, DataEntry, generatedAt, CompressionLevel.Optimal).OpenAsync(cancellationToken))
        {
            await using var writer = new Utf8JsonWriter(data, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("formatVersion", FormatVersion);
            writer.WriteString("generatedAt", generatedAt);
            writer.WritePropertyName("account");
            var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new Account(u.Id, u.Email, u.EmailConfirmed, u.DisplayName, u.PreferredLanguage, u.CreatedAt, u.AdultConfirmedAt, u.DefaultWorkspaceId))
                .SingleAsync(cancellationToken);
            JsonSerializer.Serialize(writer, account, json);
            counts["account"] = 1;

            writer.WritePropertyName("memberships");
            JsonSerializer.Serialize(writer, memberships, json);
            counts["memberships"] = memberships.Count;
            counts["consents"] = await WriteArrayAsync(writer, "consents", db.ConsentRecords.Where(c => c.UserId == userId), json, cancellationToken);
            counts["securityEvents"] = await WriteArrayAsync(writer, "securityEvents", db.AuditEvents.Where(a => a.UserId == userId), json, cancellationToken);
            counts["apiKeys"] = await WriteArrayAsync(writer, "apiKeys", db.ApiKeys.Where(k => k.UserId == userId), json, cancellationToken);

            writer.WriteStartArray("workspaces");
            for (var i = 0; i < owned.Count; i++)
            {
                var workspace = owned[i];
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace.WorkspaceId, userId, WorkspaceRole.Owner);
                var tenant = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                writer.WriteStartObject();
                writer.WriteString("id", workspace.WorkspaceId);
                writer.WriteString("name", workspace.WorkspaceName);
                writer.WriteString("dataRegion", workspace.DataRegion);
                writer.WriteString("createdAt", workspace.WorkspaceCreatedAt);
                writer.WriteStartObject("collections");
                foreach (var (name, count) in await WriteWorkspaceAsync(writer, tenant, workspace.WorkspaceId, json, cancellationToken))
                {
                    counts[name] += count;
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken);
                progress?.Report(0.3 * (i + 1) / owned.Count);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            counts["workspaces"] = owned.Count;
        }

        for (var i = 0; i < owned.Count; i++)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(owned[i].WorkspaceId, userId, WorkspaceRole.Owner);
            var tenant = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var assets = await tenant.Assets.AsNoTracking().OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.BlobKey, a.ContentType, a.OriginalFileName, a.Kind })
                .ToListAsync(cancellationToken);
            foreach (var asset in assets)
            {
                var path = $"{FilesFolder}/{owned[i].WorkspaceId:N}/{asset.Id:N}{Extension(asset.ContentType, asset.OriginalFileName)}";
                var written = await CopyAsync(zip, path, asset.BlobKey, asset.ContentType, generatedAt, cancellationToken);
                if (written is null)
                {
                    missing++;
                    continue;
                }

                files.Add(new ManifestFile(path, owned[i].WorkspaceId, asset.Id, asset.Kind == AssetKind.Upload ? "upload" : "generated", asset.ContentType, written.Value.Bytes, written.Value.Sha256));
            }

            progress?.Report(0.3 + (0.6 * (i + 1) / owned.Count));
        }

        await using (var manifest = await NewEntry(zip, ManifestEntry, generatedAt, CompressionLevel.Optimal).OpenAsync(cancellationToken))
        {
            await JsonSerializer.SerializeAsync(manifest, new Manifest(FormatVersion, generatedAt, userId, counts, files.Count, missing, files), json, cancellationToken);
        }

        return new DataArchiveSummary(counts, files.Count, missing);
    }

    private static async Task<List<(string Name, int Count)>> WriteWorkspaceAsync(Utf8JsonWriter writer, AppDbContext tenant, Guid workspaceId, JsonSerializerOptions json, CancellationToken ct)
    {
        // Every set but members is tenant-filtered to this scope's workspace; members are not tenant-owned, so they are filtered here.
        var order = WorkspaceCollections;
        var counts = new List<(string, int)>
        {
            (order[0], await WriteArrayAsync(writer, order[0], tenant.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId), json, ct)),
            (order[1], await WriteArrayAsync(writer, order[1], tenant.Subscriptions, json, ct)),
            (order[2], await WriteArrayAsync(writer, order[2], tenant.UsageCounters, json, ct)),
            (order[3], await WriteArrayAsync(writer, order[3], tenant.BillingOrders, json, ct)),
            (order[4], await WriteArrayAsync(writer, order[4], tenant.Invoices, json, ct)),
            (order[5], await WriteArrayAsync(writer, order[5], tenant.Brands, json, ct)),
            (order[6], await WriteArrayAsync(writer, order[6], tenant.Products, json, ct)),
            (order[7], await WriteArrayAsync(writer, order[7], tenant.ProductVariants, json, ct)),
            (order[8], await WriteArrayAsync(writer, order[8], tenant.ProductPhotos, json, ct)),
            (order[9], await WriteArrayAsync(writer, order[9], tenant.Assets, json, ct)),
            (order[10], await WriteArrayAsync(writer, order[10], tenant.ListingCopies, json, ct)),
            (order[11], await WriteArrayAsync(writer, order[11], tenant.ListingCopyVersions, json, ct)),
            (order[12], await WriteArrayAsync(writer, order[12], tenant.TranslationMemory, json, ct)),
            (order[13], await WriteArrayAsync(writer, order[13], tenant.WorkflowTemplates, json, ct)),
            (order[14], await WriteArrayAsync(writer, order[14], tenant.WorkflowBatches, json, ct)),
            (order[15], await WriteArrayAsync(writer, order[15], tenant.WorkflowRuns, json, ct)),
            (order[16], await WriteArrayAsync(writer, order[16], tenant.WorkflowSteps, json, ct)),
            (order[17], await WriteArrayAsync(writer, order[17], tenant.WorkflowStepExecutions, json, ct)),
            (order[18], await WriteArrayAsync(writer, order[18], tenant.MarketplaceConnections, json, ct)),
            (order[19], await WriteArrayAsync(writer, order[19], tenant.MarketplaceListings, json, ct)),
            (order[20], await WriteArrayAsync(writer, order[20], tenant.Publications, json, ct)),
        };
        return counts;
    }

    /// <summary>Writes the rows as a JSON array, oldest id first, one row in memory at a time.</summary>
    private static async Task<int> WriteArrayAsync<T>(Utf8JsonWriter writer, string name, IQueryable<T> rows, JsonSerializerOptions json, CancellationToken ct)
        where T : class
    {
        writer.WriteStartArray(name);
        var count = 0;
        await foreach (var row in rows.AsNoTracking().OrderBy(r => EF.Property<Guid>(r, "Id")).AsAsyncEnumerable().WithCancellation(ct))
        {
            JsonSerializer.Serialize(writer, row, json);
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        writer.WriteEndArray();
        return count;
    }

    /// <summary>Streams a stored file into the archive as stored (already compressed media are not deflated again); null when the blob is missing.</summary>
    private async Task<(long Bytes, string Sha256)?> CopyAsync(ZipArchive zip, string path, string blobKey, string contentType, DateTime time, CancellationToken ct)
    {
        await using var source = await blobs.OpenReadAsync(blobKey, ct);
        if (source is null)
        {
            return null;
        }

        var compressed = contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var target = await NewEntry(zip, path, time, compressed ? CompressionLevel.NoCompression : CompressionLevel.Optimal).OpenAsync(ct))
        {
            var buffer = new byte[CopyBuffer];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                length += read;
            }
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static ZipArchiveEntry NewEntry(ZipArchive zip, string path, DateTime time, CompressionLevel level)
    {
        var entry = zip.CreateEntry(path, level);
        entry.LastWriteTime = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        return entry;
    }

    /// <summary>The file's extension from its stored type, else from the uploaded name (letters and digits only), else none.</summary>
    public static string Extension(string contentType, string? originalFileName)
    {
        var known = contentType.ToLowerInvariant() switch
        {
            "image/png" => ".png",
            "image/jpeg" => ".jpg",
            "image/webp" => ".webp",
            "image/gif" => ".gif",
            "image/tiff" => ".tif",
            "image/avif" => ".avif",
            "image/heic" => ".heic",
            "video/mp4" => ".mp4",
            "audio/mpeg" => ".mp3",
            "audio/wav" or "audio/x-wav" => ".wav",
            "text/vtt" => ".vtt",
            "application/x-subrip" => ".srt",
            _ => null,
        };
        if (known is not null)
        {
            return known;
        }

        var extension = Path.GetExtension(originalFileName ?? "");
        return extension.Length is > 1 and <= 6 && extension[1..].All(char.IsAsciiLetterOrDigit) ? extension.ToLowerInvariant() : "";
    }

    /// <summary>camelCase, enums as camelCase strings, and for EF entities only their mapped scalar properties minus <see cref="Withheld"/>.</summary>
    private static JsonSerializerOptions SerializerOptions(IModel model)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Kind != JsonTypeInfoKind.Object || model.FindEntityType(info.Type) is not { } entity)
            {
                return;
            }

            var mapped = entity.GetProperties().Select(p => p.Name).Where(n => !Withheld.Contains(n)).ToHashSet(StringComparer.Ordinal);
            for (var i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].AttributeProvider is not MemberInfo member || !mapped.Contains(member.Name))
                {
                    info.Properties.RemoveAt(i);
                }
            }
        });
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = resolver, WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    private sealed record Account(Guid Id, string? Email, bool EmailConfirmed, string DisplayName, string PreferredLanguage, DateTime CreatedAt, DateTime AdultConfirmedAt, Guid? DefaultWorkspaceId);

    private sealed record Membership(Guid WorkspaceId, string WorkspaceName, WorkspaceRole Role, DateTime JoinedAt, string DataRegion, [property: JsonIgnore] DateTime WorkspaceCreatedAt);

    private sealed record ManifestFile(string Path, Guid WorkspaceId, Guid AssetId, string Kind, string ContentType, long Bytes, string Sha256);

    private sealed record Manifest(string FormatVersion, DateTime GeneratedAt, Guid UserId, IReadOnlyDictionary<string, int> Counts, int FileCount, int MissingFiles, IReadOnlyList<ManifestFile> Files);
}
