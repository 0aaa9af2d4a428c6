using System.CommandLine;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Cli;

/// <summary><c>cos products import</c> and <c>cos products export</c> (the CSV format of <see cref="ProductCsvFormat"/>).</summary>
internal static class CatalogCommands
{
    public const int ExitSomeRowsFailed = 1;
    public const int ExitNothingImported = 2;

    public static Command Products()
    {
        var importFile = new Argument<FileInfo>("FILE") { Description = "The CSV file (the product CSV format; see the import page)." };
        var importEmail = new Option<string?>("--email") { Description = "Import into this user's default workspace (optional when there is only one user)." };
        var mode = new Option<string>("--mode") { Description = "upsert: existing SKUs are updated; create: an existing SKU is a row error.", DefaultValueFactory = _ => "upsert" };
        mode.AcceptOnlyFromAmong("upsert", "create");
        var import = new Command(
            "import",
            "Import products from a CSV file. Prints a summary and every failing row with its error codes. "
            + "Exit code 0 when every row was imported, 1 when some rows failed (the others are imported), 2 when nothing was imported (file refused).")
        {
            importFile, importEmail, mode,
        };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction((result, cancellationToken) => ImportAsync(
            result,
            result.GetRequiredValue(importFile),
            result.GetValue(importEmail),
            result.GetRequiredValue(mode) == "create" ? CsvImportMode.CreateOnly : CsvImportMode.Upsert,
            cancellationToken));

        var exportFile = new Argument<FileInfo>("FILE") { Description = "Where to write the CSV (replaced if it exists)." };
        var exportEmail = new Option<string>("--email") { Description = "Export this user's default workspace.", Required = true };
        var export = new Command("export", "Export every product of the workspace to a CSV file (UTF-8 with BOM, one row per variant).")
        {
            exportFile, exportEmail,
        };
        export.TreatUnmatchedTokensAsErrors = false;
        export.SetAction((result, cancellationToken) =>
            ExportAsync(result, result.GetRequiredValue(exportFile), result.GetRequiredValue(exportEmail), cancellationToken));

        return new Command("products", "Import and export the product catalogue.") { import, export };
    }

    private static async Task<int> ImportAsync(ParseResult parseResult, FileInfo file, string? email, CsvImportMode mode, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        if (!file.Exists)
        {
            await host.FailAsync(host.Describe(CliErrors.FileNotFound, [file.FullName]));
            return ExitNothingImported;
        }

        if (!await EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
        {
            return ExitNothingImported;
        }

        Result<ImportProductsCsv.Response> result;
        try
        {
            await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
            result = await scope.ServiceProvider.GetRequiredService<ImportProductsCsv>()
                .HandleAsync(new ImportProductsCsv.Request(stream, mode), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await host.FailAsync(host.Describe(CliErrors.FileUnreadable, [file.FullName, exception.Message]));
            return ExitNothingImported;
        }

        if (!result.IsSuccess)
        {
            await host.FailAsync(result.Errors.Select(host.Describe));
            return ExitNothingImported;
        }

        var response = result.Value;
        await host.Output.WriteLineAsync(
            $"{file.Name}: {response.Rows} rows; products created {response.ProductsCreated}, updated {response.ProductsUpdated}, failed {response.ProductsFailed}.");
        foreach (var row in response.Report.Where(r => r.Outcome == CsvRowOutcome.Error))
        {
            var sku = row.Sku.Length == 0 ? "" : $" (SKU {row.Sku})";
            await host.Output.WriteLineAsync(
                $"row {row.Row}{sku}: {string.Join("; ", row.Errors.Select(host.Describe))}");
        }

        return response.ProductsFailed > 0 ? ExitSomeRowsFailed : 0;
    }

    private static async Task<int> ExportAsync(ParseResult parseResult, FileInfo file, string email, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        if (!await EnterWorkspaceAsync(host, scope.ServiceProvider, email, cancellationToken))
        {
            return 1;
        }

        // Written next to the target and moved into place, so a failed export never leaves half a file.
        var temporary = file.FullName + ".partial";
        Result<ExportProductsCsv.Response> result;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true))
            {
                result = await scope.ServiceProvider.GetRequiredService<ExportProductsCsv>()
                    .HandleAsync(new ExportProductsCsv.Request(stream), cancellationToken);
            }

            if (result.IsSuccess)
            {
                File.Move(temporary, file.FullName, overwrite: true);
            }
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

        if (!result.IsSuccess)
        {
            await host.FailAsync(result.Errors.Select(host.Describe));
            return 1;
        }

        await host.Output.WriteLineAsync($"Exported {result.Value.Products} products ({result.Value.Rows} rows) to {file.FullName}.");
        return 0;
    }

    /// <summary>Sets the scope's <see cref="WorkspaceContext"/> to the user's default workspace with their membership role.</summary>
    internal static async Task<bool> EnterWorkspaceAsync(CliHost host, IServiceProvider services, string? email, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        AppUser? user;
        if (email is not null)
        {
            user = await host.FindUserAsync(users, email);
        }
        else
        {
            // Convenience for the single-seller embedded setup: without --email, the only user.
            var db = services.GetRequiredService<AppDbContext>();
            var active = await db.Users.Where(u => u.TerminatedAt == null).OrderBy(u => u.CreatedAt).Take(2).ToListAsync(cancellationToken);
            user = active.Count == 1 ? active[0] : null;
            if (active.Count == 0)
            {
                await host.FailAsync(host.Describe(CliErrors.NoUsers, []));
            }
            else if (active.Count > 1)
            {
                var count = await db.Users.CountAsync(u => u.TerminatedAt == null, cancellationToken);
                await host.FailAsync(host.Describe(CliErrors.EmailRequired, [count.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            }
        }

        if (user is null)
        {
            return false;
        }

        if (user.DefaultWorkspaceId is not { } workspaceId)
        {
            await host.FailAsync(host.Describe(CliErrors.NoWorkspace, [user.Email!]));
            return false;
        }

        var role = await services.GetRequiredService<AppDbContext>().WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && m.UserId == user.Id)
            .Select(m => (WorkspaceRole?)m.Role)
            .SingleOrDefaultAsync(cancellationToken);
        if (role is null)
        {
            await host.FailAsync(host.Describe(new AccountError(AccountErrors.NotWorkspaceMember)));
            return false;
        }

        services.GetRequiredService<WorkspaceContext>().Set(workspaceId, user.Id, role.Value);
        return true;
    }
}
