using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Api;

/// <summary>
/// The OpenAPI document is the public contract: any change to it must be deliberate. When a change is
/// intended, run the test with COMMERCEOS_UPDATE_SNAPSHOTS=1 and commit the new snapshot.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    [Fact]
    public async Task OpenApiDocument_MatchesTheCommittedSnapshot()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var client = app.CreateBrowserClient();
        var actual = Normalize(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var snapshot = Path.Combine(SourceDirectory(), "openapi.v1.json");

        if (Environment.GetEnvironmentVariable("COMMERCEOS_UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(snapshot, actual, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(snapshot), "No snapshot: run with COMMERCEOS_UPDATE_SNAPSHOTS=1 and commit it.");
        Assert.Equal(await File.ReadAllTextAsync(snapshot, TestContext.Current.CancellationToken), actual);
    }

    private static string Normalize(string json)
    {
        var node = JsonNode.Parse(json)!;
        // The server URL depends on the test host; everything else is contract.
        node.AsObject().Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
