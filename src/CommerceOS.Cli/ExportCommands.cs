using System.CommandLine;
using CommerceOS.Core.Common;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Cli;

/// <summary><c>cos export</c>: a marketplace's listing kit (ZIP) of products, a workflow run or a batch.</summary>
internal static class ExportCommands
{
    public static Command Export()
    {
        var marketplace = new Option<string>("--marketplace") { Description = "The marketplace whose kit to write (amazon, shopify, taobao, shopee, tiktok-shop...).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The ZIP file to write (replaced if it exists).", Required = true };
        var products = new Option<string?>("--products") { Description = "all (default) or product IDs separated by commas: everything generated for them." };
        var run = new Option<Guid?>("--run") { Description = "Only what this workflow run made." };
        var batch = new Option<Guid?>("--batch") { Description = "Only what this batch's runs made." };
        var email = new Option<string?>("--email") { Description = "Export from this user's default workspace (optional when there is only one user)." };
        var command = new Command(
            "export",
            "Write a marketplace's listing kit: per product the images named the marketplace's way, the video, the copy and the SEO keywords, "
            + "with manifest.json. Exit code 0 when written, 1 when refused.")
        {
            marketplace, output, products, run, batch, email,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => ExportAsync(
            result,
            result.GetRequiredValue(marketplace),
            result.GetRequiredValue(output),
            result.GetValue(products),
            result.GetValue(run),
            result.GetValue(batch),
            result.GetValue(email),
            cancellationToken));
        return command;
    }

    private static async Task<int> ExportAsync(
        ParseResult parseResult, string marketplace, FileInfo file, string? products, Guid? runId, Guid? batchId, string? email, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        if (!await CatalogCommands.EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
        {
            return 1;
        }

        var request = await RequestAsync(scope.ServiceProvider, marketplace, products, runId, batchId, cancellationToken);
        var export = scope.ServiceProvider.GetRequiredService<ExportListingKit>();
        var plan = request.IsSuccess ? await export.PrepareAsync(request.Value, cancellationToken) : request.WithoutValue();
        if (!plan.IsSuccess)
        {
            await host.FailAsync(plan.Errors.Select(host.Describe));
            return 1;
        }

        // Written next to the target and moved into place, so a failed export never leaves half a file.
        var temporary = file.FullName + ".partial";
        var total = plan.Value.ProductIds.Count;
        var progress = new Progress<int>(done => host.Error.Write($"\r{done}/{total} products"));
        ListingKitSummary summary;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true))
            {
                summary = await export.WriteAsync(plan.Value, stream, progress, cancellationToken);
            }

            File.Move(temporary, file.FullName, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await host.FailAsync(host.Describe(CliErrors.FileUnreadable, [file.FullName, exception.Message]));
            return 1;
        }
        finally
        {
            File.Delete(temporary);
        }

        await host.Error.WriteLineAsync();
        await host.Output.WriteLineAsync(
            $"{summary.Marketplace}: {summary.Products} products, {summary.Files} files ({summary.Bytes:N0} bytes), "
            + $"{summary.Missing} missing, {summary.Flagged} flagged -> {file.FullName}");
        return 0;
    }

    private static async Task<Result<ListingKitRequest>> RequestAsync(
        IServiceProvider services, string marketplace, string? products, Guid? runId, Guid? batchId, CancellationToken cancellationToken)
    {
        var kits = services.GetRequiredService<WorkflowKits>();
        if (runId is { } run)
        {
            return await kits.ForRunAsync(run, marketplace, cancellationToken);
        }

        if (batchId is { } batch)
        {
            return await kits.ForBatchAsync(batch, marketplace, cancellationToken);
        }

        if (products is null || products.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new ListingKitRequest(marketplace, null, null);
        }

        var ids = new List<Guid>();
        foreach (var part in products.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Guid.TryParse(part, out var id))
            {
                return Result.Invalid("--products", WorkflowErrors.ProductNotFound, part);
            }

            ids.Add(id);
        }

        return new ListingKitRequest(marketplace, ids, null);
    }
}
