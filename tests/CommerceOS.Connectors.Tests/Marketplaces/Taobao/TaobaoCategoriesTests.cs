using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Tests.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

public sealed class TaobaoCategoriesTests : FakeTaobaoTests
{
    [Fact]
    public async Task Walk_ReadsTheTreeBreadthFirst_InSortOrder_AndSkipsWhatIsBelowADeletedCategory()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var tree = await scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "en", Ct);

        Assert.True(tree.Complete);
        Assert.Equal("zh-CN", tree.Language); // Taobao names categories in Chinese only, whatever was asked
        Assert.Equal(
            ["21", "16", "50011740", "99", "50016348", "50002", "50000671", "162104", "50000436", "50012345", "50012346"],
            tree.Nodes.Select(n => n.Id));
        Assert.Equal(new CategoryNode("21", null, "居家日用", IsLeaf: false), tree.Nodes[0]);
        Assert.Equal(new CategoryNode("50012345", "50016348", "茶杯", IsLeaf: true), tree.Nodes.Single(n => n.Id == FakeTaobaoServer.LeafCategory));
        Assert.Equal(["99", "50012346"], tree.Nodes.Where(n => !n.Usable).Select(n => n.Id));

        var calls = Fake.CallsTo("taobao.itemcats.get").ToList();
        Assert.Equal(["0", "21", "16", "50011740", "50016348"], calls.Select(c => c.Parameters["parent_cid"]));
        Assert.All(calls, c => Assert.Equal("cid,parent_cid,name,is_parent,status,sort_order", c.Parameters["fields"]));
        Assert.Equal(calls.Count, Fake.Calls.Count);
        Assert.Empty(Fake.Refused); // every call passed the fake's signature, session and timestamp checks
    }

    [Theory]
    [InlineData(3, false, 8)]
    [InlineData(4, false, 9)]
    [InlineData(5, true, 11)]
    public async Task Walk_StopsAtTheCallBound_AndSaysItIsIncomplete(int bound, bool complete, int nodes)
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake, maxCategoryCalls: bound);

        var tree = await scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "zh-CN", Ct);

        Assert.Equal((complete, nodes), (tree.Complete, tree.Nodes.Count));
        Assert.Equal(bound, Fake.CallsTo("taobao.itemcats.get").Count());
        Assert.Equal(tree.Nodes.Count, tree.Nodes.Select(n => n.Id).Distinct().Count());
        Assert.All(tree.Nodes.Where(n => n.ParentId is not null), n => Assert.Contains(tree.Nodes, p => p.Id == n.ParentId)); // parents first
    }

    [Fact]
    public async Task WrongSecret_FailsTheFakesSignatureCheck_AsMisconfigured()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake, signMethod: "md5");

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(secret: "not-the-secret"), "zh-CN", Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("code 25", error.Message, StringComparison.Ordinal);
        Assert.Equal([25], Fake.Refused);
    }

    [Fact]
    public async Task ExpiredSession_IsMisconfigured()
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(session: "6100expired"), "zh-CN", Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Equal([27], Fake.Refused);
    }

    [Theory]
    [InlineData(7, "accesscontrol.limited-by-app-access-count", ProviderFailure.RateLimited)]
    [InlineData(11, null, ProviderFailure.Misconfigured)]
    [InlineData(27, "invalid-sessionkey", ProviderFailure.Misconfigured)]
    [InlineData(28, null, ProviderFailure.Misconfigured)]
    [InlineData(15, "isp.remote-service-timeout", ProviderFailure.Transient)]
    [InlineData(15, "isv.category-service-error", ProviderFailure.Transient)]
    [InlineData(41, null, ProviderFailure.Misconfigured)]
    public async Task TopErrors_AreMapped(int code, string? subCode, ProviderFailure expected)
    {
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);
        Fake.Fail("taobao.itemcats.get", FakeTaobaoServer.Error(code, "refused", subCode, subCode is null ? null : "拒绝"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "zh-CN", Ct));

        Assert.Equal(expected, error.Failure);
        Assert.Single(Fake.Calls); // a refusal stops the walk: a tree with holes would look complete
    }

    [Fact]
    public async Task ServerError_IsRetried_AndTheWalkCompletes()
    {
        Fake.Fail("taobao.itemcats.get", Faults.Status(502, "<html>Bad Gateway</html>"));
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var tree = await Clock.Drive(scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "zh-CN", Ct));

        Assert.True(tree.Complete);
        Assert.Equal(6, Fake.CallsTo("taobao.itemcats.get").Count());
    }

    [Fact]
    public async Task MalformedBody_IsTransient()
    {
        Fake.Fail("taobao.itemcats.get", Faults.MalformedJson());
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "zh-CN", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task AListOfAnotherShape_IsTransient()
    {
        Fake.Fail("taobao.itemcats.get", Faults.Status(200, """{"itemcats_get_response":{"item_cats":{"item_cat":"none"}}}"""));
        await using var scope = TaobaoDrafts.Scope(Clock, Fake);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Categories.ReadCategoriesAsync(TaobaoDrafts.Session(), "zh-CN", Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("item_cat", error.Message, StringComparison.Ordinal);
    }
}
