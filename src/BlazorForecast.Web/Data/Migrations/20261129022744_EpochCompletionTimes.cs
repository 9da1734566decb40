using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorForecast.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EpochCompletionTimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CompletedAt",
                table: "RunEpochs",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Epochs recorded before this column existed: the best known time is when their run last started.
            migrationBuilder.Sql(
                "UPDATE RunEpochs SET CompletedAt = (SELECT COALESCE(Runs.StartedAt, Runs.CreatedAt) FROM Runs WHERE Runs.Id = RunEpochs.RunId);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "RunEpochs");
        }
    }
}
