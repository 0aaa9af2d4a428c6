namespace CommerceOS.Core.Billing;

/// <summary>
/// The canonical plan set of product-scope.md A3, seeded by migration. CNY prices are the
/// documented fen table; USD prices are CommerceOS's own list prices (docs/decisions.md).
/// </summary>
public static class PlanCatalog
{
    public const string Starter = "starter";
    public const string Creator = "creator";
    public const string Business = "business";
    public const string Enterprise = "enterprise";

    private static readonly string[] CreatorFeatures =
    [
        PlanFeatures.Seo, PlanFeatures.WorkflowOrchestrator, PlanFeatures.BrandCenter,
        PlanFeatures.PublishCenter, PlanFeatures.WatermarkFree,
    ];

    private static readonly string[] BusinessFeatures =
    [
        .. CreatorFeatures, PlanFeatures.AiAgents, PlanFeatures.CommerceMemory, PlanFeatures.AbTesting,
        PlanFeatures.CommerceIntelligence, PlanFeatures.PriorityRendering,
    ];

    private static readonly string[] EnterpriseFeatures =
    [
        .. BusinessFeatures, PlanFeatures.ApiAccess, PlanFeatures.WhiteLabel, PlanFeatures.Sso,
        PlanFeatures.CustomModels, PlanFeatures.Sla,
    ];

    public static Plan[] Seed =>
    [
        new()
        {
            Code = Starter, SortOrder = 0, NameEn = "Starter", NameZh = "入门",
            TaglineEn = "Try it free", TaglineZh = "免费体验",
            MonthlyPriceCny = 0, MonthlyPriceUsd = 0, SupportTier = "community",
            Quotas = Quotas(images: 5, videos: 1, connections: 1),
        },
        new()
        {
            Code = Creator, SortOrder = 1, NameEn = "Creator", NameZh = "创作者",
            TaglineEn = "For individual sellers", TaglineZh = "个人卖家",
            MonthlyPriceCny = 5_900, MonthlyPriceUsd = 900, SupportTier = "email",
            Quotas = Quotas(images: 200, videos: 15, connections: 3), Features = [.. CreatorFeatures],
        },
        new()
        {
            Code = Business, SortOrder = 2, NameEn = "Business", NameZh = "商业",
            TaglineEn = "For growing businesses", TaglineZh = "成长商家",
            MonthlyPriceCny = 19_900, MonthlyPriceUsd = 2_900, SupportTier = "priority",
            Quotas = Quotas(images: 500, videos: 60, connections: 10), Features = [.. BusinessFeatures],
        },
        new()
        {
            Code = Enterprise, SortOrder = 3, NameEn = "Enterprise", NameZh = "企业",
            TaglineEn = "For organizations", TaglineZh = "企业组织",
            MonthlyPriceCny = 99_900, MonthlyPriceUsd = 14_900, SupportTier = "dedicated",
            Quotas = Quotas(images: null, videos: null, connections: null), Features = [.. EnterpriseFeatures],
            ContactSales = true,
        },
    ];

    private static Dictionary<string, long?> Quotas(long? images, long? videos, long? connections) => new()
    {
        [Meters.Images] = images,
        [Meters.Videos] = videos,
        [Meters.Copy] = null,
        [Meters.Translations] = null,
        [Meters.ApiCalls] = null,
        [Meters.Connections] = connections,
    };
}
