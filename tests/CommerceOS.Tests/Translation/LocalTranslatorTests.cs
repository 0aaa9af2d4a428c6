using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using CommerceOS.Engines.Translation;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Translation;

public sealed class LocalTranslatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One workspace's request scope: its context, the memory, the translator and the learn use case.</summary>
    private sealed class Scope : IAsyncDisposable
    {
        private Scope(AppDbContext db, WorkspaceContext workspace, Guid workspaceId, double threshold)
        {
            Db = db;
            WorkspaceId = workspaceId;
            Translator = new LocalTranslator(new TranslationMemory(db), Options.Create(new LocalTranslatorOptions { FuzzyThreshold = threshold }));
            Learn = new LearnTranslation(db, workspace, Time);
        }

        public AppDbContext Db { get; }

        public Guid WorkspaceId { get; }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

        public LocalTranslator Translator { get; }

        public LearnTranslation Learn { get; }

        public static async Task<Scope> CreateAsync(TestDatabase database, Guid? workspaceId = null, WorkspaceRole role = WorkspaceRole.Editor, double threshold = 0.75)
        {
            workspaceId ??= await TestWorkspaces.CreateAsync(database);
            var workspace = new WorkspaceContext();
            workspace.Set(workspaceId.Value, Guid.CreateVersion7(), role);
            var builder = new DbContextOptionsBuilder<AppDbContext>();
            DatabaseServiceCollectionExtensions.Configure(builder, database.Provider, database.ConnectionString);
            return new Scope(new AppDbContext(builder.Options, workspace), workspace, workspaceId.Value, threshold);
        }

        public async Task LearnAsync(string source, string target, string from = "en", string to = "zh-CN", params string[] keep)
        {
            var result = await Learn.HandleAsync(new LearnTranslation.Request(from, to, source, target, keep), Ct);
            Assert.True(result.IsSuccess, result.ToString());
        }

        public async Task<TranslationBatch> TranslateAsync(params string[] segments) =>
            await TranslateAsync(new TranslationRequest("en", "zh-CN", segments));

        public async Task<TranslationBatch> TranslateAsync(TranslationRequest request)
        {
            var result = await Translator.TranslateAsync(request, Ct);
            Assert.True(result.IsSuccess, result.ToString());
            return result.Value;
        }

        public async ValueTask DisposeAsync() => await Db.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExactMatch_ReturnsTheSellersTranslation_IgnoringCaseAndSpacing(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        await scope.LearnAsync("Keeps drinks cold for 24 hours", "保冷长达 24 小时");

        var batch = await scope.TranslateAsync("keeps  drinks cold for 24 HOURS");

        var segment = Assert.Single(batch.Segments);
        Assert.Equal(SegmentStatus.MemoryExact, segment.Status);
        Assert.Equal("保冷长达 24 小时", segment.Text);
        Assert.Equal(1.0, segment.Score);
        Assert.Equal("local", segment.Engine);
        Assert.Equal("Keeps drinks cold for 24 hours", segment.MatchedSource);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SameSentenceAboutAnotherModel_ReusesTheTranslation_WithTheNewModelAndSize(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        await scope.LearnAsync("The XR-500 jar holds 500 ml.", "XR-500 搅拌杯容量为 500 ml。");

        var batch = await scope.TranslateAsync("The XR-700 jar holds 750 ml.");

        var segment = Assert.Single(batch.Segments);
        Assert.Equal(SegmentStatus.MemoryFuzzy, segment.Status);
        Assert.Equal("XR-700 搅拌杯容量为 750 ml。", segment.Text);
        Assert.InRange(segment.Score!.Value, 0.8, 0.999);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FuzzyMatch_AboveThreshold_IsFlaggedWithScore_BelowIsUntranslatedWithTheScore(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database, threshold: 0.8);
        await scope.LearnAsync("Double-wall vacuum insulation keeps drinks cold", "双层真空隔热，饮品持久保冷");

        var batch = await scope.TranslateAsync(
            "Double-wall vacuum insulation keeps drink cold",
            "Double-wall vacuum insulation keeps soup hot for hours");

        var close = batch.Segments[0];
        Assert.Equal(SegmentStatus.MemoryFuzzy, close.Status);
        Assert.Equal("双层真空隔热，饮品持久保冷", close.Text);
        Assert.InRange(close.Score!.Value, 0.95, 0.999);
        Assert.Equal("Double-wall vacuum insulation keeps drinks cold", close.MatchedSource);

        var far = batch.Segments[1];
        Assert.Equal(SegmentStatus.Untranslated, far.Status);
        Assert.Null(far.Text);
        Assert.Equal(TranslationErrors.FuzzyBelowThreshold, far.ReasonCode);
        Assert.Equal("80", far.ReasonArgs![1]);
        Assert.InRange(far.Score!.Value, 0.5, 0.8);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnknownText_IsUntranslated_NeverFaked(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        await scope.LearnAsync("Machine washable", "可机洗");

        var batch = await scope.TranslateAsync("Stainless steel lid with silicone seal");

        var segment = Assert.Single(batch.Segments);
        Assert.Equal(SegmentStatus.Untranslated, segment.Status);
        Assert.Null(segment.Text);
        Assert.Equal(TranslationErrors.NoMemoryMatch, segment.ReasonCode);
        Assert.Equal(1, batch.UntranslatedCount);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GlossaryWholeSegment_AndProtectedOnlySegments_AreTranslated_OthersReported(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);

        var batch = await scope.TranslateAsync(new TranslationRequest(
            "en",
            "zh-CN",
            ["Down Jacket", "XR-500", "30 x 40 cm", "Down jacket with hood", ""],
            Glossary: [new TranslationTerm("down jacket", "羽绒服")]));

        Assert.Equal(
            [SegmentStatus.Translated, SegmentStatus.Translated, SegmentStatus.Translated, SegmentStatus.Untranslated, SegmentStatus.Translated],
            batch.Segments.Select(s => s.Status));
        Assert.Equal(["羽绒服", "XR-500", "30 x 40 cm", null, ""], batch.Segments.Select(s => s.Text));
        Assert.Equal([0, 1, 2, 3, 4], batch.Segments.Select(s => s.Index));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SimilarTextWithDifferentProtectedTerms_IsNotReusedWhenTheTermsCannotBeMapped(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        // The seller wrote the size the Chinese way, so "500 ml" cannot be located in the target.
        await scope.LearnAsync("Large bottle holds 500 ml of water", "大瓶可装 500 毫升水");

        var batch = await scope.TranslateAsync("Large bottle holds 750 ml of water", "Large bottle holds 500 ml of water");

        Assert.Equal(SegmentStatus.Untranslated, batch.Segments[0].Status);
        Assert.Equal(TranslationErrors.FuzzyTermsDiffer, batch.Segments[0].ReasonCode);
        Assert.Equal(SegmentStatus.MemoryExact, batch.Segments[1].Status);
        Assert.Equal("大瓶可装 500 毫升水", batch.Segments[1].Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LearningAgain_ReplacesTheEarlierTranslation(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        await scope.LearnAsync("Gift box included", "含礼盒");
        scope.Time.Advance(TimeSpan.FromMinutes(5));
        await scope.LearnAsync("Gift box included", "附赠精美礼盒");

        var batch = await scope.TranslateAsync("Gift box included");

        Assert.Equal("附赠精美礼盒", Assert.Single(batch.Segments).Text);
        Assert.Equal(1, await scope.Db.TranslationMemory.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Memory_IsIsolatedBetweenWorkspaces(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var first = await Scope.CreateAsync(database);
        await using var second = await Scope.CreateAsync(database);
        await first.LearnAsync("Machine washable at 30°C", "30°C 可机洗");

        var own = await first.TranslateAsync("Machine washable at 30°C");
        var other = await second.TranslateAsync("Machine washable at 30°C", "Machine washable at 40°C");

        Assert.Equal(SegmentStatus.MemoryExact, Assert.Single(own.Segments).Status);
        Assert.All(other.Segments, s => Assert.Equal(SegmentStatus.Untranslated, s.Status));
        Assert.Equal(0, await second.Db.TranslationMemory.CountAsync(Ct));

        // The second workspace learning the same source does not touch the first one's row.
        await second.LearnAsync("Machine washable at 30°C", "可在 30°C 下机洗");
        Assert.Equal("30°C 可机洗", Assert.Single((await first.TranslateAsync("Machine washable at 30°C")).Segments).Text);
        await using var unscoped = database.CreateContext();
        Assert.Equal(0, await unscoped.TranslationMemory.CountAsync(Ct)); // no workspace set: the filter matches nothing
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Memory_IsPerLanguagePair(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);
        await scope.LearnAsync("Machine washable", "Maschinenwaschbar", to: "de");

        var chinese = await scope.TranslateAsync("Machine washable");
        var german = await scope.TranslateAsync(new TranslationRequest("en", "de", ["Machine washable"]));

        Assert.Equal(SegmentStatus.Untranslated, Assert.Single(chinese.Segments).Status);
        Assert.Equal("Maschinenwaschbar", Assert.Single(german.Segments).Text);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Learn_ByAViewer_IsForbidden_AndBadInputIsInvalid(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var viewer = await Scope.CreateAsync(database, role: WorkspaceRole.Viewer);
        await using var editor = await Scope.CreateAsync(database, viewer.WorkspaceId);

        var forbidden = await viewer.Learn.HandleAsync(new LearnTranslation.Request("en", "de", "Soft", "Weich"), Ct);
        var invalid = await editor.Learn.HandleAsync(new LearnTranslation.Request("en", "xx", "Soft", " "), Ct);

        Assert.Equal(ResultStatus.Forbidden, forbidden.Status);
        Assert.Equal(
            [("targetLanguage", TranslationErrors.LanguageUnknown), ("targetText", TranslationErrors.TargetRequired)],
            invalid.Errors.Select(e => (e.Field, e.Code)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnknownLanguage_IsInvalid(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var scope = await Scope.CreateAsync(database);

        var result = await scope.Translator.TranslateAsync(new TranslationRequest("en", "tlh", ["Hello"]), Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(TranslationErrors.LanguageUnknown, Assert.Single(result.Errors).Code);
    }
}
