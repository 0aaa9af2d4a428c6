using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

/// <summary>Variant options written as text, mapped to the leaf category's sale properties (颜色分类 1627207 with aliases, 尺码 20509 without).</summary>
public sealed class TaobaoSalePropertiesTests : FakeTaobaoTests
{
    private static ListingDraft Draft(params (string Sku, (string Name, string Value)[] Options)[] variants) =>
        TaobaoDrafts.Draft(variants: [.. variants.Select(v => new ListingVariant(v.Sku, [.. v.Options.Select(o => new KeyValuePair<string, string>(o.Name, o.Value))], 1590, "CNY", 2, null))])
        with { OptionNames = [.. variants[0].Options.Select(o => o.Name)] };

    private static ListingDraft RedAndWhite => Draft(("A", [("颜色分类", "红色")]), ("B", [("颜色分类", "白色")]));

    [Fact]
    public async Task TextOptions_BecomeVids_AndUnknownColoursTakeASpareVidWithTheSellersNameAsAlias()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        var draft = Draft(
            ("A", [("颜色分类", "红色"), ("尺码", "M")]),
            ("B", [("颜色分类", "天青色"), ("尺码", "Ｌ")]), // full-width L
            ("C", [("颜色分类", " 红色 "), ("尺码", "s")]),
            ("D", [("颜色分类", "白色"), ("尺码", "L")]));

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var props = Fake.CallsTo("taobao.itemprops.get").Single().Parameters;
        Assert.Equal((FakeTaobaoServer.LeafCategory, "true"), (props["cid"], props["is_sale_prop"]));
        Assert.Equal("pid,name,must,multi,prop_values,is_color_prop,is_enum_prop,is_allow_alias", props["fields"]);
        Assert.Equal("taobao.itemprops.get", Fake.Calls.First().Method); // mapped before any picture is uploaded

        var add = Fake.CallsTo("taobao.item.add").Single().Parameters;
        // 白色 (28320) is named by D, so 天青色 takes the next spare value, 黑色 (28341), under its own name.
        Assert.Equal("1627207:28326;20509:28315,1627207:28341;20509:28316,1627207:28326;20509:28314,1627207:28320;20509:28316", add["sku_properties"]);
        Assert.Equal("1627207:28341:天青色", add["property_alias"]);
        Assert.Equal("A,B,C,D", add["sku_outer_ids"]);
        Assert.Empty(Fake.Refused);
    }

    [Fact]
    public async Task EnglishOptionNames_FindTheColourAndSizeProperties_WithoutAliases()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        var draft = Draft(("A", [("Color", "黑色"), ("size", "M")]), ("B", [("color ", "蓝色"), ("Size", "l")]));

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        var add = Fake.CallsTo("taobao.item.add").Single().Parameters;
        Assert.Equal("1627207:28341;20509:28315,1627207:28338;20509:28316", add["sku_properties"]);
        Assert.False(add.ContainsKey("property_alias"));
    }

    [Fact]
    public async Task AnOptionNameTheCategoryHasNoSalePropertyFor_IsRejected_NamingTheProperties()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        var draft = Draft(("A", [("材质", "陶瓷")]), ("B", [("材质", "玻璃")]));

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((ListingFields.Variants, "sku_properties", PlatformIssueSeverity.Error), (issue.Field, issue.PlatformAttribute, issue.Severity));
        Assert.Contains("'材质'", issue.Message, StringComparison.Ordinal);
        Assert.Contains("颜色分类, 尺码", issue.Message, StringComparison.Ordinal); // sale properties only: 品牌 is not one
        Assert.Equal(["taobao.itemprops.get"], Fake.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task ASizeTaobaoDoesNotList_IsAnIssue_BecauseSizesTakeNoAlias()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        var draft = Draft(("A", [("尺码", "M")]), ("B", [("尺码", "XXL")]));

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Contains("'XXL'", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
        Assert.Empty(Fake.CallsTo("taobao.item.add"));
    }

    [Fact]
    public async Task MoreColoursThanThePropertyHas_IsAnIssue_ForTheOneLeftOver()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        string[] colours = ["红色", "天青", "月白", "霁蓝", "豆青"];
        var draft = Draft([.. colours.Select(c => (c, new[] { ("颜色分类", c) }))]);

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(ListingFields.Variants, issue.Field);
        Assert.Contains("'豆青'", issue.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.CallsTo("taobao.item.add"));
    }

    [Fact]
    public async Task SyncOffers_MapsTheSameWay()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        var draft = Draft(("A", [("颜色分类", "红色")]), ("B", [("颜色分类", "天青色")]));
        var published = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), draft, Ct);

        var synced = await scope.Publisher.SyncOffersAsync(TaobaoDrafts.Session(), draft with { ExternalId = published.ExternalId }, Ct);

        Assert.Equal(PublishOutcome.Live, synced.Outcome);
        var update = Fake.CallsTo("taobao.item.update").Single().Parameters;
        Assert.Equal(("1627207:28326,1627207:28320", "1627207:28320:天青色"), (update["sku_properties"], update["property_alias"]));
        Assert.Equal(2, Fake.CallsTo("taobao.itemprops.get").Count()); // one per call: nothing is cached between them
    }

    [Theory]
    [InlineData(7, "accesscontrol.limited-by-app-access-count", ProviderFailure.RateLimited)]
    [InlineData(27, "invalid-sessionkey", ProviderFailure.Misconfigured)]
    [InlineData(15, "isp.remote-service-timeout", ProviderFailure.Transient)]
    public async Task ItempropsFailures_AreThrown_BeforeAnythingIsWritten(int code, string subCode, ProviderFailure expected)
    {
        Fake.Fail("taobao.itemprops.get", FakeTaobaoServer.Error(code, "refused", subCode, "拒绝"));
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(TaobaoDrafts.Session(), RedAndWhite, Ct));

        Assert.Equal(expected, error.Failure);
        Assert.Equal(["taobao.itemprops.get"], Fake.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task ItempropsServerError_IsRetried()
    {
        Fake.Fail("taobao.itemprops.get", Faults.Status(503, "<html>Service Unavailable</html>"));
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var result = await Clock.Drive(scope.Publisher.PublishAsync(TaobaoDrafts.Session(), RedAndWhite, Ct));

        Assert.Equal(PublishOutcome.Live, result.Outcome);
        Assert.Equal(2, Fake.CallsTo("taobao.itemprops.get").Count());
    }

    [Fact]
    public async Task ItempropsRefusingTheCategory_IsRejectedUnderCategory()
    {
        Fake.Fail("taobao.itemprops.get", FakeTaobaoServer.Error(41, "Invalid arguments:cid"));
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var result = await scope.Publisher.PublishAsync(TaobaoDrafts.Session(), RedAndWhite, Ct);

        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal((ListingFields.Category, "cid"), (Assert.Single(result.Issues).Field, result.Issues[0].PlatformAttribute));
        Assert.Empty(Fake.CallsTo("taobao.item.add"));
    }

    [Fact]
    public async Task MalformedItemprops_IsTransient()
    {
        Fake.Fail("taobao.itemprops.get", Faults.MalformedJson());
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Publisher.PublishAsync(TaobaoDrafts.Session(), RedAndWhite, Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Empty(Fake.CallsTo("taobao.item.add"));
    }
}
