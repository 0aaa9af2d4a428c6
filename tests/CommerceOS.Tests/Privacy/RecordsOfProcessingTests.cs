using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Email;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Video;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Test-plan row P7 (GDPR 30, 44-49): <c>docs/privacy/ropa.yaml</c>, the records of processing, tags every column of the
/// database with a data category and every table with a purpose and a retention rule, and names every third party that
/// code can send data to, with its country and transfer safeguard. A new column, table or vendor connector fails this
/// test until it is recorded.
/// </summary>
public sealed class RecordsOfProcessingTests
{
    private static readonly Type[] OutboundSeams =
    [
        typeof(IImageProvider), typeof(IVideoProvider), typeof(ITranslator), typeof(IStructuredLlm), typeof(IMarketplacePublisher),
        typeof(IMarketplaceCategorySource), typeof(IPaymentGateway), typeof(IEmailSender),
    ];

    private static readonly string[] TransferMechanisms = ["SCC", "DPF", "adequacy", "same-region"];

    [Fact]
    public async Task EveryColumn_HasACategory_AndEveryTable_APurposeAndRetention()
    {
        var ropa = Load();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var db = database.CreateContext();

        var model = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table)
            {
                continue;
            }

            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var columns = model.TryGetValue(table, out var known) ? known : model[table] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) is { } column)
                {
                    columns.Add(column);
                }
            }
        }

        var missing = new List<string>();
        var wrong = new List<string>();
        foreach (var (table, columns) in model)
        {
            if (!ropa.Tables.TryGetValue(table, out var record))
            {
                missing.Add($"  {table}:\n    activity: ?\n    retention: ?\n    columns:\n" + string.Concat(columns.Select(c => $"      {c}: ?\n")));
                continue;
            }

            if (!ropa.Activities.Any(a => a.Id == record.Activity))
            {
                wrong.Add($"{table}: unknown activity '{record.Activity}'");
            }

            if (!ropa.Retention.ContainsKey(record.Retention ?? ""))
            {
                wrong.Add($"{table}: unknown retention '{record.Retention}'");
            }

            missing.AddRange(columns.Where(c => !record.Columns.ContainsKey(c)).Select(c => $"  {table}.{c}"));
            wrong.AddRange(record.Columns.Keys.Where(c => !columns.Contains(c)).Select(c => $"{table}.{c}: no such column"));
            wrong.AddRange(record.Columns.Where(c => !ropa.Categories.ContainsKey(c.Value)).Select(c => $"{table}.{c.Key}: unknown category '{c.Value}'"));
        }

        wrong.AddRange(ropa.Tables.Keys.Where(t => !model.ContainsKey(t)).Select(t => $"{t}: no such table"));
        Assert.True(missing.Count == 0, "Not recorded in docs/privacy/ropa.yaml:\n" + string.Join('\n', missing));
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.Equal(model.Sum(t => t.Value.Count), ropa.Tables.Sum(t => t.Value.Columns.Count));
    }

    [Fact]
    public void EveryVendorConnector_IsARecordedRecipient_WithCountryAndSafeguard()
    {
        var ropa = Load();
        foreach (var recipient in ropa.Recipients)
        {
            Assert.False(string.IsNullOrWhiteSpace(recipient.Country), $"{recipient.Id}: country");
            Assert.Contains(recipient.Transfer, TransferMechanisms);
            Assert.False(string.IsNullOrWhiteSpace(recipient.Purpose), $"{recipient.Id}: purpose");
            Assert.False(string.IsNullOrWhiteSpace(recipient.Data), $"{recipient.Id}: data");
        }

        foreach (var activity in ropa.Activities)
        {
            Assert.All(activity.Recipients, r => Assert.Contains(r, ropa.Recipients.Select(x => x.Id)));
        }

        // Every class of the connectors assembly (and the SMTP sender) behind a seam that sends data out of the installation.
        var connectors = typeof(Connectors.Flux.FluxImageProvider).Assembly.GetTypes().Append(typeof(SmtpEmailSender))
            .Where(t => t is { IsClass: true, IsAbstract: false } && OutboundSeams.Any(seam => seam.IsAssignableFrom(t)))
            .Select(t => t.Name)
            .ToList();
        Assert.True(connectors.Count >= 15, $"Found only {connectors.Count} connectors: {string.Join(", ", connectors)}");
        var recorded = ropa.Recipients.SelectMany(r => r.Connectors).Concat(ropa.LocalWrappers).ToHashSet(StringComparer.Ordinal);
        var unrecorded = connectors.Where(c => !recorded.Contains(c)).ToList();
        Assert.True(unrecorded.Count == 0, "Connectors missing from docs/privacy/ropa.yaml recipients: " + string.Join(", ", unrecorded));
    }

    private static Ropa Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var yaml = File.ReadAllText(Path.Combine(directory.FullName, "docs", "privacy", "ropa.yaml"));
        return new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<Ropa>(yaml);
    }

    private sealed class Ropa
    {
        public string Controller { get; set; } = "";
        public Dictionary<string, string> Categories { get; set; } = [];
        public Dictionary<string, string> Retention { get; set; } = [];
        public List<Activity> Activities { get; set; } = [];
        public List<Recipient> Recipients { get; set; } = [];
        public List<string> LocalWrappers { get; set; } = [];
        public Dictionary<string, TableRecord> Tables { get; set; } = [];
    }

    private sealed class Activity
    {
        public string Id { get; set; } = "";
        public string Purpose { get; set; } = "";
        public string LawfulBasis { get; set; } = "";
        public string DataSubjects { get; set; } = "";
        public List<string> Recipients { get; set; } = [];
    }

    private sealed class Recipient
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string EnabledBy { get; set; } = "";
        public string Purpose { get; set; } = "";
        public string Data { get; set; } = "";
        public string Country { get; set; } = "";
        public string Transfer { get; set; } = "";
        public List<string> Connectors { get; set; } = [];
    }

    private sealed class TableRecord
    {
        public string? Activity { get; set; }
        public string? Retention { get; set; }
        public Dictionary<string, string> Columns { get; set; } = [];
    }
}
