namespace CommerceOS.Core.Billing;

/// <summary>Metered resources. Counters reset at each billing period start; connections is a gauge.</summary>
public static class Meters
{
    public const string Images = "images";
    public const string Videos = "videos";
    public const string Copy = "copy";
    public const string Translations = "translations";
    public const string ApiCalls = "api_calls";
    public const string Connections = "connections";

    public static readonly IReadOnlyList<string> PerPeriod = [Images, Videos, Copy, Translations, ApiCalls];

    public static readonly IReadOnlyList<string> All = [.. PerPeriod, Connections];

    public static bool IsKnown(string meter) => All.Contains(meter, StringComparer.Ordinal);
}

/// <summary>Feature gates a plan unlocks (product-scope.md A3).</summary>
public static class PlanFeatures
{
    public const string Seo = "seo";
    public const string WorkflowOrchestrator = "workflow_orchestrator";
    public const string AiAgents = "ai_agents";
    public const string CommerceMemory = "commerce_memory";
    public const string BrandCenter = "brand_center";
    public const string PublishCenter = "publish_center";
    public const string AbTesting = "ab_testing";
    public const string CommerceIntelligence = "commerce_intelligence";
    public const string PriorityRendering = "priority_rendering";
    public const string WatermarkFree = "watermark_free";
    public const string ApiAccess = "api_access";
    public const string WhiteLabel = "white_label";
    public const string Sso = "sso";
    public const string CustomModels = "custom_models";
    public const string Sla = "sla";

    public static readonly IReadOnlyList<string> All =
    [
        Seo, WorkflowOrchestrator, AiAgents, CommerceMemory, BrandCenter, PublishCenter, AbTesting, CommerceIntelligence,
        PriorityRendering, WatermarkFree, ApiAccess, WhiteLabel, Sso, CustomModels, Sla,
    ];

    public static bool IsKnown(string feature) => All.Contains(feature, StringComparer.Ordinal);
}

/// <summary>A plan in the catalogue. Plans are data (seeded by migration), not code paths.</summary>
public sealed class Plan
{
    public required string Code { get; set; }

    public int SortOrder { get; set; }

    public required string NameEn { get; set; }

    public required string NameZh { get; set; }

    public required string TaglineEn { get; set; }

    public required string TaglineZh { get; set; }

    /// <summary>Monthly list price in fen (CNY minor units).</summary>
    public long MonthlyPriceCny { get; set; }

    /// <summary>Monthly list price in cents (USD minor units).</summary>
    public long MonthlyPriceUsd { get; set; }

    /// <summary>Per-meter limit per billing period; a missing meter or a null value means unlimited.</summary>
    public Dictionary<string, long?> Quotas { get; set; } = [];

    public List<string> Features { get; set; } = [];

    /// <summary>Sold by contact (Enterprise); no self-service checkout.</summary>
    public bool ContactSales { get; set; }

    public string SupportTier { get; set; } = "community";

    /// <summary>Monthly list price in minor units of "CNY" or "USD".</summary>
    public long MonthlyPriceFor(string currency) => currency == "USD" ? MonthlyPriceUsd : MonthlyPriceCny;

    public long? LimitFor(string meter) => Quotas.TryGetValue(meter, out var limit) ? limit : null;

    public bool Has(string feature) => Features.Contains(feature, StringComparer.Ordinal);
}
