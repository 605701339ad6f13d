package dev.drover.ui.web;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;

/** {@code /}: the UI's front page is the pipeline list. */
@Controller
@Hidden
public class Home {

    @RequiresPermission(value = Permission.READ, anyScope = true, page = true)
    @Get
    HttpResponse<?> home() {
        return HttpResponse.seeOther(URI.create("/ui/pipelines"));
    }
}
