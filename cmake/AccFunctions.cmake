# ac_target_sources(<target> [PRIVATE|PUBLIC|INTERFACE] a.ac b.ac ...)
#
# Adds .ac sources to <target>.  Each a.ac becomes, at build time,
#
#   acc a.ac -o <bin>/ac_gen/a.c --header <bin>/ac_gen/a.h --depfile <bin>/ac_gen/a.d
#       -I <dir of a.ac> -I <bin>/ac_gen -I <each include dir of <target>>
#
# where <bin> is the current binary directory (an .ac file in a subdirectory
# of the current source directory keeps that subdirectory under ac_gen/).  The
# depfile lists every file acc read (see docs/build.md, "What is rebuilt").
#
# a.c is always a PRIVATE source of <target>: it is compiled once, into
# <target>, whatever the scope.  The scope (default PRIVATE; each applies to
# the files after it) says who else sees a.h: the directory of a.h and the
# directory of a.ac are added to the include directories of <target>
# (PRIVATE) or of <target> and its consumers (PUBLIC; INTERFACE means the
# same, as <target> compiles a.c itself), and libac to its link libraries
# with that scope.  a.c, compiled from ac_gen/, finds the headers a.ac
# includes with quotes (such as a "types.h" beside it) through the directory
# of a.ac; a.h repeats those includes, so its users need that directory too.
# The directories are build paths ($<BUILD_INTERFACE:...>): a library
# installed with install(EXPORT) exports none of them, and its project
# installs a.h itself.  <target> cannot be an INTERFACE library, which
# compiles nothing.
#
# The depfile names its files with absolute paths, which the Ninja generator
# reads correctly only under policy CMP0116 NEW: the function sets it for its
# own add_custom_command calls, whatever the calling project's policies (with
# cmake_minimum_required(VERSION 3.16) it would be unset, and every build
# would regenerate everything).  The package needs CMake 3.20 (accConfig.cmake).
#
# Cross-file awaits need no ordering: when a.ac includes "b.h", acc reads the
# declarations from b.ac (found through -I), whether b.h is generated yet or
# not, and a.d names b.ac: editing b.ac regenerates a.c and a.h too.
#
# Used both inside the acc project and by installed packages (accConfig.cmake):
# acc::acc is the generator, acc::ac_static the runtime that gets linked
# (set AC_LINK_LIBRARY to acc::ac for the shared one).

set(AC_LINK_LIBRARY acc::ac_static CACHE STRING "libac target that ac_target_sources links")

function(ac_target_sources target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL INTERFACE_LIBRARY)
    message(FATAL_ERROR "ac_target_sources: ${target} is an INTERFACE library, "
      "which compiles nothing: give the .ac files to a STATIC, SHARED or OBJECT "
      "library, or to an executable")
  endif()
  # The generated files are C: in a project that enables only CXX, CMake
  # would leave them uncompiled without a word, and the link would fail on
  # the async functions (their C exists, nothing builds it).
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "C" IN_LIST languages)
    message(FATAL_ERROR "ac_target_sources: the C language is not enabled, and acc "
      "generates C: name C in project() (project(name C CXX)) or call "
      "enable_language(C)")
  endif()
  cmake_policy(PUSH)
  cmake_policy(SET CMP0116 NEW)
  set(scope PRIVATE)
  set(gen_root ${CMAKE_CURRENT_BINARY_DIR}/ac_gen)
  set(tgt_includes $<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>)
  # Include directories by the scope they get: PRIVATE or PUBLIC.
  foreach(use PRIVATE PUBLIC)
    set(out_dirs_${use} "")
    set(src_dirs_${use} "")
  endforeach()
  set(outputs "")
  foreach(arg IN LISTS ARGN)
    if(arg MATCHES "^(PRIVATE|PUBLIC|INTERFACE)$")
      set(scope ${arg})
      continue()
    endif()

    get_filename_component(src ${arg} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    # the last extension only: x.v2.ac gives x.v2.c and x.v2.h, as with acc
    # and Make (NAME_WE gave x.c, and x.v1.ac and x.v2.ac wrote one file)
    get_filename_component(name ${src} NAME_WLE)
    get_filename_component(src_dir ${src} DIRECTORY)
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${src_dir})
    if(rel MATCHES "^\\.\\." OR IS_ABSOLUTE "${rel}")
      set(rel "")
    endif()
    set(out_dir ${gen_root})
    if(rel)
      set(out_dir ${gen_root}/${rel})
    endif()
    file(RELATIVE_PATH shown ${CMAKE_SOURCE_DIR} ${src})
    set(out_c ${out_dir}/${name}.c)
    set(out_h ${out_dir}/${name}.h)

    # One build step per generated file and directory: an .ac given to
    # several targets of one directory (a program and its test) is generated
    # once, with the include directories of the first (a second
    # add_custom_command for the same OUTPUT is a CMake error); each target
    # compiles the C.  acc writes by renaming, so parallel builds of those
    # targets under Make never see a half-written file.
    # AC_GENERATED_FROM holds the .ac of each, so that two different files
    # made into one (../x/a.ac and ../y/a.ac, both outside the source
    # directory) stop the configuration instead of one being left out.
    get_property(generated DIRECTORY PROPERTY AC_GENERATED_SOURCES)
    get_property(generated_from DIRECTORY PROPERTY AC_GENERATED_FROM)
    list(FIND generated ${out_c} seen)
    if(seen GREATER -1)
      list(GET generated_from ${seen} first_src)
      if(NOT first_src STREQUAL src)
        cmake_policy(POP)
        message(FATAL_ERROR "ac_target_sources: ${src} and ${first_src} would both "
          "be generated as ${out_c}: rename one")
      endif()
    else()
      set_property(DIRECTORY APPEND PROPERTY AC_GENERATED_SOURCES ${out_c})
      set_property(DIRECTORY APPEND PROPERTY AC_GENERATED_FROM ${src})
      add_custom_command(
        OUTPUT ${out_c} ${out_h}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
        COMMAND acc::acc ${src} -o ${out_c} --header ${out_h} --depfile ${out_dir}/${name}.d
                -I ${src_dir} -I ${out_dir}
                "$<$<BOOL:${tgt_includes}>:-I;$<JOIN:${tgt_includes},;-I;>>"
        DEPENDS ${src} $<TARGET_FILE:acc::acc>
        DEPFILE ${out_dir}/${name}.d
        COMMAND_EXPAND_LISTS
        COMMENT "acc ${shown}"
        VERBATIM)
    endif()
    # Never PUBLIC or INTERFACE: every consumer would compile a.c again, and
    # install(EXPORT) would refuse the build path in INTERFACE_SOURCES.
    target_sources(${target} PRIVATE ${out_c})
    list(APPEND outputs ${out_c} ${out_h})
    set(use PUBLIC)
    if(scope STREQUAL PRIVATE)
      set(use PRIVATE)
    endif()
    list(APPEND out_dirs_${use} ${out_dir})
    list(APPEND src_dirs_${use} ${src_dir})
  endforeach()

  # Called from another directory than the target's (a subdirectory adding
  # its .ac files to a target of its parent): CMake runs a custom command
  # only for the targets of its own directory, so nothing ran acc and the
  # build failed on the missing a.c.  A custom target here runs the steps,
  # the target waits for it, and the generated files are marked GENERATED
  # in the target's directory too (needed under policy CMP0118 OLD).
  get_target_property(target_bin_dir ${target} BINARY_DIR)
  if(outputs AND NOT target_bin_dir STREQUAL CMAKE_CURRENT_BINARY_DIR)
    get_property(n GLOBAL PROPERTY AC_GENERATE_TARGETS)
    math(EXPR n "${n} + 1")
    set_property(GLOBAL PROPERTY AC_GENERATE_TARGETS ${n})
    add_custom_target(${target}_ac_generate_${n} DEPENDS ${outputs})
    add_dependencies(${target} ${target}_ac_generate_${n})
    set_source_files_properties(${outputs} TARGET_DIRECTORY ${target}
      PROPERTIES GENERATED TRUE)
  endif()

  foreach(use PRIVATE PUBLIC)
    if(out_dirs_${use})
      list(REMOVE_DUPLICATES out_dirs_${use})
      list(REMOVE_DUPLICATES src_dirs_${use})
      target_include_directories(${target} ${use}
        "$<BUILD_INTERFACE:${out_dirs_${use}};${src_dirs_${use}}>")
      target_link_libraries(${target} ${use} ${AC_LINK_LIBRARY})
    endif()
  endforeach()
  cmake_policy(POP)
endfunction()
