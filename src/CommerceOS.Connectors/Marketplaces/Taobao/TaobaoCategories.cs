using System.Globalization;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>
/// Taobao's category tree through <c>taobao.itemcats.get</c>: TOP gives one level per call (the children of a
/// <c>parent_cid</c>), so the tree is walked breadth-first from the root within <see cref="TaobaoOptions.MaxCategoryCalls"/>.
/// Breadth-first keeps a cut-short walk useful: every top-level category and the upper levels are there, only deep
/// leaves are missing. Names are Chinese only.
/// </summary>
public sealed class TaobaoCategories(
    IHttpClientFactory httpClientFactory,
    IOptions<TaobaoOptions> options,
    TimeProvider timeProvider,
    ILogger<TaobaoCategories> logger) : IMarketplaceCategorySource
{
    private const string Method = "taobao.itemcats.get";

    /// <summary>UNCONFIRMED: the status of a category sellers may list in (others seen: <c>deleted</c>).</summary>
    private const string NormalStatus = "normal";

    public string Platform => Platforms.Taobao;

    public async Task<CategoryTree> ReadCategoriesAsync(MarketplaceSession session, string language, CancellationToken cancellationToken)
    {
        var credentials = TopCredentials.From(session);
        var gateway = TaobaoGateway.Create(httpClientFactory, options.Value, timeProvider, logger);
        var budget = Math.Max(1, options.Value.MaxCategoryCalls);
        var nodes = new List<CategoryNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parents = new Queue<string>();
        parents.Enqueue("0");
        var calls = 0;
        while (parents.Count > 0 && calls < budget)
        {
            var parent = parents.Dequeue();
            calls++;

            // UNCONFIRMED: the answer shape itemcats_get_response.item_cats.item_cat[] and the field names.
            var response = await gateway.ReadAsync(credentials, Method, [new("parent_cid", parent), new("fields", "cid,parent_cid,name,is_parent,status,sort_order")], cancellationToken);
            var children = TaobaoGateway.List(response, "item_cats", "item_cat", Method)
                .Select(c => (Element: c, Cid: TaobaoGateway.Number(c, "cid"), Sort: TaobaoGateway.Number(c, "sort_order") ?? long.MaxValue))
                .OrderBy(c => c.Sort)
                .ToList();
            foreach (var (element, cid, _) in children)
            {
                var name = element.GetString("name");
                if (cid is not > 0 || string.IsNullOrWhiteSpace(name))
                {
                    throw new ProviderException(ProviderFailure.Transient, $"Taobao {Method} answered a category without cid or name under {parent}.");
                }

                var id = cid.Value.ToString(CultureInfo.InvariantCulture);
                if (!seen.Add(id))
                {
                    continue; // a category met twice would make the tree loop
                }

                var isParent = TaobaoGateway.Flag(element, "is_parent");
                var usable = string.Equals(element.GetString("status") ?? NormalStatus, NormalStatus, StringComparison.OrdinalIgnoreCase);
                nodes.Add(new CategoryNode(id, parent == "0" ? null : parent, name.Trim(), IsLeaf: !isParent, usable));

                // Nothing below a closed category can take a listing: its subtree is not worth the calls.
                if (isParent && usable)
                {
                    parents.Enqueue(id);
                }
            }
        }

        var complete = parents.Count == 0;
        logger.LogInformation("Taobao category walk for connection {ConnectionId}: {Nodes} categories in {Calls} calls, complete {Complete}", session.ConnectionId, nodes.Count, calls, complete);
        return new CategoryTree(nodes, "zh-CN", complete);
    }
}
